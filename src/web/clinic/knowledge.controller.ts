import { Controller, Get, Inject } from '@nestjs/common';
import { Roles } from '../../auth/actor';
import { CURRENT_QUESTIONNAIRE } from '../../intake/questionnaire/questionnaire';
import { ARTICLES } from '../../knowledge/article-rows';
import { KnowledgeBase } from '../../rules/knowledge-base';
import { KNOWLEDGE_BASE } from '../../rules/rules.module';
import { Page, PageModel } from '../page';
import { buildKnowledgeView, KnowledgeView } from './knowledge-view';

/**
 * What the product knows and where it comes from: the source articles row by
 * row, the rules that cite each row and the questions that inform it. No
 * patient data, so no audit event.
 */
@Controller()
export class KnowledgeController {
  /** Built once: the articles, rules and questionnaire are fixed while the service runs. */
  private readonly view: KnowledgeView;

  constructor(@Inject(KNOWLEDGE_BASE) knowledgeBase: KnowledgeBase) {
    this.view = buildKnowledgeView(ARTICLES, knowledgeBase, CURRENT_QUESTIONNAIRE);
  }

  @Get('knowledge')
  @Roles('clinician', 'admin')
  @Page('clinic/knowledge')
  show(): PageModel {
    return { title: 'Knowledge base', ...this.view };
  }
}
