import type PgBoss from 'pg-boss';

/**
 * What takes jobs and runs the schedules (SCALE-1): the queue itself in a `worker` or `all`
 * process; nothing in a `web` process, which only sends.
 */
export interface Taker {
    work<T>(queue: string, handler: PgBoss.WorkHandler<T>): Promise<unknown>;
    schedule(queue: string, cron: string): Promise<unknown>;
}

export function takerOf(boss: PgBoss, work: boolean): Taker {
    if (!work) return { work: () => Promise.resolve(null), schedule: () => Promise.resolve() };
    return {
        work: <T>(queue: string, handler: PgBoss.WorkHandler<T>) => boss.work<T>(queue, handler),
        schedule: (queue: string, cron: string) => boss.schedule(queue, cron)
    };
}
