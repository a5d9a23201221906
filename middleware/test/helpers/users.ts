import type { Kysely } from 'kysely';
import { json, type Database, type UserRole } from '../../src/store/schema';
import { newId } from '../../src/store/ids';
import { defaultProfileId } from '../../src/store/profiles';

/** Insert a Backstory user straight into the store (until the Users API exists in a test's scope). */
export async function insertUser(
    db: Kysely<Database>,
    orgId: string,
    options: { role?: UserRole; profileId?: string; salesforceUserId?: string; email?: string } = {}
): Promise<{ id: string; salesforceUserId: string }> {
    const id = newId('usr');
    const salesforceUserId = options.salesforceUserId ?? `005${id.slice(4, 19).padEnd(15, 'A')}`.slice(0, 18);
    const email = options.email ?? `${id}@example.com`;
    await db
        .insertInto('users')
        .values({
            id,
            org_id: orgId,
            first_name: 'Test',
            last_name: 'User',
            email,
            email_key: email.toLowerCase(),
            job_title: null,
            salesforce_user_id: salesforceUserId,
            role: options.role ?? 'member',
            licenses: json(['foundation']),
            visibility: 'full',
            profile_id: options.profileId ?? (await defaultProfileId(db, orgId)),
            team_id: null,
            status: 'active',
            source: 'manual'
        })
        .execute();
    return { id, salesforceUserId };
}
