export * from './calendar-date.js';
export * from './offset.js';
export * from './working-days.js';
