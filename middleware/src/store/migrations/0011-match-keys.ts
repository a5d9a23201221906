import { sql, type Kysely } from 'kysely';
import { recordKeys } from '../../domain/matching/replica-index';
import type { CrmRecord, ReplicaObject } from '../../domain/matching/types';

// SCALE-2: the secondary keys of the CRM replica (email → contacts and leads, domain → accounts,
// account → opportunities and team, contact → contact roles, …) as rows, so that an org whose
// indexes are not in memory is matched by indexed look-ups. The keys are computed by the same
// function as the in-memory index (`recordKeys`), written beside every replica upsert and
// delete; this migration fills them for the replica already stored.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`
        create table crm_match_keys (
            org_id text not null references orgs(id) on delete cascade,
            kind text not null,
            key text not null,
            object text not null,
            id text not null,
            primary key (org_id, kind, key, object, id)
        )`.execute(db);
    // Replacing or deleting a record drops its keys by record.
    await sql`create index crm_match_keys_record on crm_match_keys (org_id, object, id)`.execute(db);

    let after: { org_id: string; object: string; id: string } | null = null;
    for (;;) {
        const page: { org_id: string; object: string; id: string; data: CrmRecord }[] = (
            await sql<{ org_id: string; object: string; id: string; data: CrmRecord }>`
                select org_id, object, id, data from crm_records
                ${after ? sql`where (org_id, object, id) > (${after.org_id}, ${after.object}, ${after.id})` : sql``}
                order by org_id, object, id
                limit 2000`.execute(db)
        ).rows;
        const rows = page.flatMap((r) =>
            recordKeys(r.object as ReplicaObject, r.data).map((k) => ({
                org_id: r.org_id,
                kind: k.kind,
                key: k.key,
                object: r.object,
                id: r.id
            }))
        );
        for (let i = 0; i < rows.length; i += 1000) {
            const batch = rows.slice(i, i + 1000);
            await sql`
                insert into crm_match_keys (org_id, kind, key, object, id)
                values ${sql.join(batch.map((k) => sql`(${k.org_id}, ${k.kind}, ${k.key}, ${k.object}, ${k.id})`))}
                on conflict do nothing`.execute(db);
        }
        const last = page[page.length - 1];
        if (!last || page.length < 2000) break;
        after = last;
    }
}
