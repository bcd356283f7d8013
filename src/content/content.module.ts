import { Global, Module } from '@nestjs/common';
import { KnowledgeBase } from './check-knowledge-base';
import { Content, loadContent } from './content';

export const KNOWLEDGE_BASE = Symbol('KNOWLEDGE_BASE');

/**
 * The checked content, injected by its class (and its knowledge base by the
 * KNOWLEDGE_BASE token). Loading it runs every load-time check, so a bad
 * question or rule stops the service at start with a message naming it.
 */
@Global()
@Module({
  providers: [
    { provide: Content, useFactory: (): Content => loadContent() },
    {
      provide: KNOWLEDGE_BASE,
      useFactory: (content: Content): KnowledgeBase => content.knowledgeBase,
      inject: [Content],
    },
  ],
  exports: [Content, KNOWLEDGE_BASE],
})
export class ContentModule {}
