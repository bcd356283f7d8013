import { Global, Module } from '@nestjs/common';
import { KnowledgeBase } from './knowledge-base';
import { loadKnowledgeBase } from './knowledge-base.files';

export const KNOWLEDGE_BASE = Symbol('KNOWLEDGE_BASE');

/**
 * The checked knowledge base. Loading it runs every load-time check, so a
 * bad rule stops the service at start with a message naming the rule.
 */
@Global()
@Module({
  providers: [{ provide: KNOWLEDGE_BASE, useFactory: (): KnowledgeBase => loadKnowledgeBase() }],
  exports: [KNOWLEDGE_BASE],
})
export class RulesModule {}
