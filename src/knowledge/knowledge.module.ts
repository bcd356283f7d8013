import { Module } from '@nestjs/common';
import { KnowledgeController } from './knowledge.controller';

/** The knowledge-base page. The knowledge base itself comes from the global RulesModule. */
@Module({
  controllers: [KnowledgeController],
})
export class KnowledgeModule {}
