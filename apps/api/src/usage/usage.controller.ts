import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@gw/database';
import { DomainError } from '@gw/errors';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { CurrentProject } from '../auth/current-project.decorator';
import { FULL_DATE_PATTERN } from '../common/validators';

const DAY = new RegExp(FULL_DATE_PATTERN);

/** `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, both inclusive; `from` not after `to`). */
export class UsageQueryDto {
  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'First UTC day, inclusive; not after `to`' })
  @Matches(DAY, { message: 'from must be a date YYYY-MM-DD' })
  from!: string;
  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'Last UTC day, inclusive' })
  @Matches(DAY, { message: 'to must be a date YYYY-MM-DD' })
  to!: string;
}

/** Counters over a span of days. */
export class UsageTotalsDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'SMS segments sent (MT), each message counted once' })
  sms_outbound_segments!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'SMS segments received (MO)' }) sms_inbound_segments!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Call minutes, per started minute of each answered call' })
  call_minutes!: number;
}

/** One UTC day's counters; days without usage are left out. */
export class UsageDayDto extends UsageTotalsDto {
  @ApiProperty({ format: 'date', example: '2026-11-01' }) day!: string;
}

export class UsageDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ type: [UsageDayDto], description: 'Days with usage, oldest first' }) days!: UsageDayDto[];
  @ApiProperty({ type: UsageTotalsDto, description: 'Sums over every day from `from` to `to`' }) totals!: UsageTotalsDto;
}

/** Daily usage counters of the authenticated project. */
@ApiTags('usage')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
@Controller('v1/usage')
export class UsageController {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  @Get()
  @ApiOkResponse({ type: UsageDto })
  async get(@CurrentProject() projectId: string, @Query() q: UsageQueryDto): Promise<UsageDto> {
    if (q.from > q.to) throw DomainError.invalid('from', 'must not be after to');
    const rows: Array<{ day: string; metric: string; quantity: string }> = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, quantity FROM usage_daily
        WHERE project_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
      [projectId, q.from, q.to],
    );
    const byDay = new Map<string, UsageDayDto>();
    const totals = { sms_outbound_segments: 0, sms_inbound_segments: 0, call_minutes: 0 };
    for (const r of rows) {
      const d = byDay.get(r.day) ?? { day: r.day, sms_outbound_segments: 0, sms_inbound_segments: 0, call_minutes: 0 };
      const metric = r.metric as keyof typeof totals;
      if (metric in totals) {
        d[metric] += Number(r.quantity);
        totals[metric] += Number(r.quantity);
      }
      byDay.set(r.day, d);
    }
    return { from: q.from, to: q.to, days: [...byDay.values()], totals };
  }
}
