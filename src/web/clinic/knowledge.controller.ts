import { Controller, Get } from '@nestjs/common';
import { Roles } from '../../auth/actor';
import { Content } from '../../content/content';
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

  constructor(content: Content) {
    this.view = buildKnowledgeView(content.articles, content.knowledgeBase, content.questionnaire);
  }

  @Get('knowledge')
  @Roles('clinician', 'admin')
  @Page('clinic/knowledge')
  show(): PageModel {
    return { title: 'Knowledge base', ...this.view };
  }
}
