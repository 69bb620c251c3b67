import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { flowSchema } from '@gw/flow';
import { ProjectAuthGuard } from '../auth/project-auth.guard';
import { ApiRateLimited } from '../rate-limit/openapi';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { CurrentProject } from '../auth/current-project.decorator';
import { CreateFlowDto, CreateFlowVersionDto, FlowDto, FlowListDto, FlowVersionDto } from './dto/flow.dto';
import { FlowsUseCases } from './flows.usecases';

/** The flow DSL's JSON Schema, public so editors and CI can validate documents offline. */
@ApiTags('flows')
@Controller('v1/flows/schema')
export class FlowSchemaController {
  @Get()
  @ApiOkResponse({ description: 'JSON Schema of flow documents (DSL version 1)' })
  schema(): unknown {
    return flowSchema;
  }
}

/** Versioned call flows of the authenticated project. */
@ApiTags('flows')
@ApiBearerAuth()
@ApiRateLimited()
@UseGuards(ProjectAuthGuard, RateLimitGuard)
@Controller('v1/flows')
export class FlowsController {
  constructor(private readonly flows: FlowsUseCases) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: FlowDto })
  create(@CurrentProject() projectId: string, @Body() dto: CreateFlowDto): Promise<FlowDto> {
    return this.flows.create(projectId, dto.name, dto.document);
  }

  @Get()
  @ApiOkResponse({ type: FlowListDto })
  async list(@CurrentProject() projectId: string): Promise<FlowListDto> {
    return { data: await this.flows.list(projectId) };
  }

  @Get(':flowId')
  @ApiOkResponse({ type: FlowDto })
  get(@CurrentProject() projectId: string, @Param('flowId') flowId: string): Promise<FlowDto> {
    return this.flows.get(projectId, flowId);
  }

  @Post(':flowId/versions')
  @HttpCode(201)
  @ApiCreatedResponse({ type: FlowVersionDto })
  addVersion(
    @CurrentProject() projectId: string,
    @Param('flowId') flowId: string,
    @Body() dto: CreateFlowVersionDto,
  ): Promise<FlowVersionDto> {
    return this.flows.addVersion(projectId, flowId, dto.document);
  }

  @Get(':flowId/versions/:version')
  @ApiOkResponse({ type: FlowVersionDto })
  getVersion(
    @CurrentProject() projectId: string,
    @Param('flowId') flowId: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<FlowVersionDto> {
    return this.flows.getVersion(projectId, flowId, version);
  }

  @Post(':flowId/versions/:version/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: FlowDto })
  activate(
    @CurrentProject() projectId: string,
    @Param('flowId') flowId: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<FlowDto> {
    return this.flows.activate(projectId, flowId, version);
  }
}
