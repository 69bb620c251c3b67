import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { OperatorGuard } from '../auth/operator.guard';
import { AdminUseCases } from './admin.usecases';
import { AddNumberDto, CreatedApiKeyDto, CreatedProjectDto, CreateProjectDto, PhoneNumberDto } from './dto/admin.dto';

/** Operator routes, guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiHeader({ name: 'X-Operator-Secret', required: true })
@UseGuards(OperatorGuard)
@Controller('admin/projects')
export class AdminController {
  constructor(private readonly admin: AdminUseCases) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedProjectDto })
  createProject(@Body() dto: CreateProjectDto): Promise<CreatedProjectDto> {
    return this.admin.createProject(dto);
  }

  @Post(':projectId/api-keys')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  createApiKey(@Param('projectId') projectId: string): Promise<CreatedApiKeyDto> {
    return this.admin.createApiKey(projectId);
  }

  @Post(':projectId/numbers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PhoneNumberDto })
  addNumber(@Param('projectId') projectId: string, @Body() dto: AddNumberDto): Promise<PhoneNumberDto> {
    return this.admin.addNumber(projectId, dto);
  }
}
