export * from './audit-c';
export type { Incomplete } from './input-checks';
export * from './ipaq-short';
export * from './licences';
export * from './pss10';
export * from './sleep-schedule';
export * from './who-2020';
export * from './bmi';
