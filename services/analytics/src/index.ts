// What the CLI runs in-process: the question → query step (analytics eval needs no stack) and the
// answer composer (the CLI renders what the service returns).
export { parseQuestion, normaliseQuestion, type ParseOutcome } from './ask/question-parser';
export { parsePeriod } from './ask/time-expressions';
export { DIMENSIONS, METRICS, DEFINITIONS, describeMetric, type KpiQuery, type Metric, type Dimension } from './kpi/kpi-definitions';
export { validateQuery, InvalidQueryError } from './kpi/kpi-sql';
export { simulateHistory, type SimulatedEvent, type SimulationOptions } from './simulation/simulated-history';
export { buildKpiSql } from './kpi/kpi-sql';
export { ANALYTICS_MIGRATIONS } from './migrations';
export { rebuildRollups } from './facts/conversation-rollups';
export { refreshKpiDays, RELATIVE_ERROR } from './kpi/kpi-days';
export { runKpi } from './kpi/run-kpi';
