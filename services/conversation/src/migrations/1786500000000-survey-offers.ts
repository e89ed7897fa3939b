import type { MigrationInterface, QueryRunner } from 'typeorm';

// Where the satisfaction survey stands in each conversation (survey/survey.service.ts): null until
// the bot offers it, 'offered' while the customer's answer is awaited, 'closed' once they answered
// or moved on. In Postgres rather than the dialogue state (Redis, which expires), so a conversation
// is offered the survey at most once however long it lasts.
export class SurveyOffers1786500000000 implements MigrationInterface {
  name = 'SurveyOffers1786500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table conversation.conversations add column survey text check (survey in ('offered', 'closed')),
         add column offer_survey boolean not null default false`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table conversation.conversations drop column survey, drop column offer_survey');
  }
}
