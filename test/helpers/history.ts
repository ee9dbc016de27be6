import protos, { type temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Short event type name, e.g. 'ActivityTaskCompleted' for EVENT_TYPE_ACTIVITY_TASK_COMPLETED. */
export function eventName(event: HistoryEvent): string {
  const full = protos.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'UNKNOWN';
  return full
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}

export function eventsNamed(history: History, name: string): HistoryEvent[] {
  return (history.events ?? []).filter((e) => eventName(e) === name);
}

export function countEvents(history: History, name: string): number {
  return eventsNamed(history, name).length;
}
