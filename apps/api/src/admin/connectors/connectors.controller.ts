import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../audit/actor.decorator';
import type { AuditContext } from '../../audit/audit-log.repository';
import { OperatorGuard } from '../../auth/operator.guard';
import { PageQueryDto } from '../../common/list-query.dto';
import { ConnectorsUseCases } from './connectors.usecases';
import {
  ConnectorDetailDto,
  ConnectorDto,
  ConnectorPageDto,
  CreateConnectorDto,
  SetBreakerDto,
  UpdateConnectorDto,
} from './dto/connector.dto';

const NAME_TAKEN = 'Another connector has the name: `conflict` naming `name`';

/** Operator routes of the connector registry (the SMSC paths MTs go through), guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/connectors')
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsUseCases) {}

  @Get()
  @ApiOperation({ summary: 'Lists the connectors, enabled or not, newest first' })
  @ApiOkResponse({ type: ConnectorPageDto })
  list(@Query() q: PageQueryDto): Promise<ConnectorPageDto> {
    return this.connectors.list(q.limit ?? 20, q.cursor);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Registers a connector',
    description:
      "Settings are checked against the kind's settings (400 naming `settings.<field>`); a setting holding a password, secret, token or " +
      'api_key in clear is refused (400 naming it): give a `<name>_ref` holding `env:NAME` or `file:/path` instead. ' +
      'Connector processes load it at once.',
  })
  @ApiCreatedResponse({ type: ConnectorDto })
  @ApiConflictResponse({ description: NAME_TAKEN })
  create(@Actor() ctx: AuditContext, @Body() dto: CreateConnectorDto): Promise<ConnectorDto> {
    return this.connectors.create(ctx, dto);
  }

  @Get(':connectorId')
  @ApiOperation({ summary: "Reads a connector with its circuit breaker: the operator's override and each replica's state" })
  @ApiOkResponse({ type: ConnectorDetailDto })
  get(@Param('connectorId') id: string): Promise<ConnectorDetailDto> {
    return this.connectors.get(id);
  }

  @Patch(':connectorId')
  // A missing body is refused rather than read as an empty patch.
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({ summary: 'Changes a connector: any field but its kind; settings are replaced whole and checked again' })
  @ApiOkResponse({ type: ConnectorDto })
  @ApiConflictResponse({ description: NAME_TAKEN })
  update(@Actor() ctx: AuditContext, @Param('connectorId') id: string, @Body() dto: UpdateConnectorDto): Promise<ConnectorDto> {
    return this.connectors.update(ctx, id, dto);
  }

  @Delete(':connectorId')
  @ApiOperation({
    summary: 'Disables a connector (idempotent)',
    description:
      'Connectors are never deleted, so the routes and messages naming one keep their meaning: a disabled connector carries no MT ' +
      '(routes listing it go on to their next connector). PATCH {"enabled":true} enables it again.',
  })
  @ApiOkResponse({ type: ConnectorDto })
  disable(@Actor() ctx: AuditContext, @Param('connectorId') id: string): Promise<ConnectorDto> {
    return this.connectors.disable(ctx, id);
  }

  @Put(':connectorId/breaker')
  @HttpCode(200)
  @RouteSchema({ body: { type: 'object' } })
  @ApiOperation({
    summary: "Forces the connector's circuit breaker open or closed on every replica, or returns it to automatic",
    description: 'Replicas apply it when they reload the registry, which this change triggers.',
  })
  @ApiOkResponse({ type: ConnectorDto })
  setBreaker(@Actor() ctx: AuditContext, @Param('connectorId') id: string, @Body() dto: SetBreakerDto): Promise<ConnectorDto> {
    return this.connectors.setBreaker(ctx, id, dto);
  }
}
