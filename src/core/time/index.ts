export { createTimeZone, instantOfWallTime, TimeZoneError, UTC } from './zone.js';
export type { TimeZone } from './zone.js';
export {
  daysFromCivil,
  daysInMonth,
  formatIsoTime,
  formatWallTime,
  INVALID_TIME,
  isInstant,
  parseInstant,
} from './instant.js';
export type { ParsedInstant } from './instant.js';
export {
  billableMinutes,
  billableSeconds,
  callDurationMs,
  DEFAULT_MAX_CALL_SECONDS,
} from './duration.js';
export type { DurationRejection } from './duration.js';
export { isInPeriod, parsePeriod, PeriodError } from './period.js';
export type { Period } from './period.js';
export { readCellTime } from './spreadsheet.js';
export type { CellTime, CellTimeFault } from './spreadsheet.js';
