import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../../audit/actor.decorator';
import type { AuditContext } from '../../audit/audit-log.repository';
import { OperatorGuard } from '../../auth/operator.guard';
import { CreateSmsRouteDto, ListSmsRoutesQueryDto, SmsRouteDto, SmsRoutePageDto, UpdateSmsRouteDto } from './dto/sms-route.dto';
import { SmsRoutesUseCases } from './sms-routes.usecases';

const REFERENCES =
  'A project_id that is no project is a 404 naming `project_id`; a connector id that is no connector a 400 naming `connector_ids.<index>`.';

/** Operator routes of SMS routing (which connectors carry MTs to which destinations), guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/routes')
export class SmsRoutesController {
  constructor(private readonly routes: SmsRoutesUseCases) {}

  @Get()
  @ApiOperation({ summary: 'Lists the SMS routes, newest first' })
  @ApiOkResponse({ type: SmsRoutePageDto })
  list(@Query() q: ListSmsRoutesQueryDto): Promise<SmsRoutePageDto> {
    return this.routes.list(q);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Creates an SMS route',
    description:
      "An MT tries the connectors of the routes matching its project and destination: longest prefix first, the project's own route " +
      'before a global one of the same length, then the cheapest, each route in its failover order, each connector once. ' +
      REFERENCES,
  })
  @ApiCreatedResponse({ type: SmsRouteDto })
  @ApiNotFoundResponse({ description: 'No such project: `not_found` naming `project_id`' })
  create(@Actor() ctx: AuditContext, @Body() dto: CreateSmsRouteDto): Promise<SmsRouteDto> {
    return this.routes.create(ctx, dto);
  }

  @Patch(':routeId')
  // A missing body is refused rather than read as an empty patch.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({ summary: 'Changes an SMS route', description: REFERENCES })
  @ApiOkResponse({ type: SmsRouteDto })
  @ApiNotFoundResponse({ description: 'No such route, or no such project: `not_found`, naming `project_id` for the project' })
  update(@Actor() ctx: AuditContext, @Param('routeId') id: string, @Body() dto: UpdateSmsRouteDto): Promise<SmsRouteDto> {
    return this.routes.update(ctx, id, dto);
  }

  @Delete(':routeId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes an SMS route' })
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(@Actor() ctx: AuditContext, @Param('routeId') id: string): Promise<void> {
    return this.routes.delete(ctx, id);
  }
}
