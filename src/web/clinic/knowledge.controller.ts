import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/actor';
import { CURRENT_QUESTIONNAIRE } from '../intake/questionnaire/questionnaire';
import { KnowledgeBase } from '../rules/knowledge-base';
import { KNOWLEDGE_BASE } from '../rules/rules.module';
import { Pages } from '../views/pages';
import { ARTICLES } from './article-rows';
import { buildKnowledgeView, KnowledgeView } from './knowledge-view';

/**
 * What the product knows and where it comes from: the source articles row by
 * row, the rules that cite each row and the questions that inform it. No
 * patient data, so no audit event.
 */
@ApiExcludeController()
@Controller()
export class KnowledgeController {
  /** Built once: the articles, rules and questionnaire are fixed while the service runs. */
  private readonly view: KnowledgeView;

  constructor(
    @Inject(KNOWLEDGE_BASE) knowledgeBase: KnowledgeBase,
    private readonly pages: Pages,
  ) {
    this.view = buildKnowledgeView(ARTICLES, knowledgeBase, CURRENT_QUESTIONNAIRE);
  }

  @Get('knowledge')
  @Roles('clinician', 'admin')
  show(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, 'knowledge', { title: 'Knowledge base', ...this.view });
  }
}
