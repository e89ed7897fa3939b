import type { MigrationInterface, QueryRunner } from 'typeorm';

// Day rollups of the conversation KPIs (kpi/kpi-days.ts): per tenant, local day and one dimension
// value, the counts the rates are made of and a histogram per duration. Triggers mark the hours a
// change touches as dirty in the change's own transaction, so no writer can forget to; queries read
// dirty days from the facts and clean ones from the rollups, and a refresher folds dirty days in.
// At 10M conversations the medians sorted every conversation of the period (10-13 s).
export class KpiDays1788000000000 implements MigrationInterface {
  name = 'KpiDays1788000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table analytics.kpi_days (
        tenant_id text not null,
        day date not null,
        dim text not null,
        value text not null,
        conversations int not null,
        handoffs int not null,
        bot_resolved int not null,
        resolved int not null,
        fcr_ok int not null,
        rated int not null,
        rating_sum int not null,
        rated_4_5 int not null,
        primary key (tenant_id, dim, day, value)
      )`);
    await runner.query(`
      create table analytics.kpi_day_durations (
        tenant_id text not null,
        day date not null,
        dim text not null,
        value text not null,
        measure text not null,
        buckets int[] not null,
        counts int[] not null,
        primary key (tenant_id, measure, dim, day, value)
      )`);
    // The zone the tenant's rollup days were cut in; rollups of another zone are not read.
    await runner.query(`
      create table analytics.kpi_day_state (
        tenant_id text primary key,
        time_zone text not null
      )`);
    // Append-only marks (never merged): a refresher deletes exactly the marks its snapshot saw, so
    // a change committed while it worked keeps its own mark for the next pass.
    await runner.query(`
      create table analytics.kpi_dirty (
        id bigserial primary key,
        tenant_id text not null,
        hour timestamptz not null
      )`);
    await runner.query('create index kpi_dirty_by_tenant on analytics.kpi_dirty (tenant_id)');
    await runner.query(`
      create function analytics.mark_kpi_hours() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'conversations' then
          if tg_op <> 'DELETE' then
            insert into analytics.kpi_dirty (tenant_id, hour)
              select distinct tenant_id, date_trunc('hour', started_at) from new_rows where started_at is not null;
          end if;
          if tg_op <> 'INSERT' then
            insert into analytics.kpi_dirty (tenant_id, hour)
              select distinct tenant_id, date_trunc('hour', started_at) from old_rows where started_at is not null;
          end if;
        else
          -- A rating counts on its conversation's day. One that arrives before its conversation's
          -- first fact marks nothing here; the conversation's insert marks that day.
          if tg_op <> 'DELETE' then
            insert into analytics.kpi_dirty (tenant_id, hour)
              select distinct c.tenant_id, date_trunc('hour', c.started_at) from new_rows r
              join analytics.conversations c on c.tenant_id = r.tenant_id and c.conversation_id = r.conversation_id
              where c.started_at is not null;
          end if;
          if tg_op <> 'INSERT' then
            insert into analytics.kpi_dirty (tenant_id, hour)
              select distinct c.tenant_id, date_trunc('hour', c.started_at) from old_rows r
              join analytics.conversations c on c.tenant_id = r.tenant_id and c.conversation_id = r.conversation_id
              where c.started_at is not null;
          end if;
        end if;
        return null;
      end $$`);
    for (const table of ['conversations', 'ratings']) {
      await runner.query(
        `create trigger ${table}_kpi_insert after insert on analytics.${table} referencing new table as new_rows for each statement execute function analytics.mark_kpi_hours()`,
      );
      await runner.query(
        `create trigger ${table}_kpi_update after update on analytics.${table} referencing old table as old_rows new table as new_rows for each statement execute function analytics.mark_kpi_hours()`,
      );
      await runner.query(
        `create trigger ${table}_kpi_delete after delete on analytics.${table} referencing old table as old_rows for each statement execute function analytics.mark_kpi_hours()`,
      );
    }
    // The facts already recorded: every hour is dirty until the refresher has rolled it up.
    await runner.query(
      `insert into analytics.kpi_dirty (tenant_id, hour)
       select distinct tenant_id, date_trunc('hour', started_at) from analytics.conversations where started_at is not null`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['conversations', 'ratings'])
      for (const op of ['insert', 'update', 'delete']) await runner.query(`drop trigger ${table}_kpi_${op} on analytics.${table}`);
    await runner.query('drop function analytics.mark_kpi_hours()');
    for (const table of ['kpi_dirty', 'kpi_day_state', 'kpi_day_durations', 'kpi_days'])
      await runner.query(`drop table analytics.${table}`);
  }
}
