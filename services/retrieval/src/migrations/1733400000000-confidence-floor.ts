import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each knowledge base's word-for-word floor, calibrated on its FAQ's own phrasings at ingest
 * (null = the embedding model's floor).
 */
export class ConfidenceFloor1733400000000 implements MigrationInterface {
  name = 'ConfidenceFloor1733400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table retrieval.knowledge_bases add column standard_answer_floor real');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table retrieval.knowledge_bases drop column standard_answer_floor');
  }
}
