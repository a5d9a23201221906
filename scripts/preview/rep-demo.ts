import type { Connection } from '@jsforce/jsforce-node';
import { fetch } from 'undici';
import type { ActingAsUser } from './server';

// The reps' corner of the demo org, through the middleware's own API: a profile that asks
// follow-up questions after meetings (CP-7), the demo rep and the demo admin as Backstory users
// linked to their Salesforce users, and one meeting of the rep, ended an hour ago, with a
// contact of an open opportunity (so the opportunity's page has activity to show). Idempotent:
// running it again finds what is there.

export const DEMO_REP = 'sam.patel@demo.backstory.local';
export const DEMO_ADMIN = 'admin@demo.backstory.local';
export const DEMO_PROFILE = 'Reps – Follow-ups';
export const DEMO_MEETING = 'demo-rep-meeting-1';

export interface RepDemo {
    rep: ActingAsUser & { userId: string };
    admin: ActingAsUser & { userId: string };
    meetingId: string;
    opportunity: { id: string; name: string };
    contact: { id: string; email: string };
}

async function api<T>(url: string, key: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, url), {
        method,
        headers: {
            authorization: `Bearer ${key}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
        },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
}

export async function seedRepDemo(options: {
    middlewareUrl: string;
    apiKey: string;
    /** A Salesforce connection that can read users and opportunities (the demo org's admin). */
    salesforce: Connection;
}): Promise<RepDemo> {
    const call = <T>(method: string, path: string, body?: unknown) =>
        api<T>(options.middlewareUrl, options.apiKey, method, path, body);
    await call('POST', '/v1/crm/pull');

    const profiles = await call<{ items?: { id: string; name: string }[] } | { id: string; name: string }[]>(
        'GET',
        '/v1/profiles'
    );
    const list = Array.isArray(profiles) ? profiles : (profiles.items ?? []);
    let profileId = list.find((p) => p.name === DEMO_PROFILE)?.id;
    if (!profileId) {
        const on = true;
        profileId = (
            await call<{ id: string }>('POST', '/v1/profiles', {
                name: DEMO_PROFILE,
                activity: {
                    intakeData: on,
                    transcriptIntake: on,
                    displayData: on,
                    pushData: on,
                    emailSync: on,
                    meetingSync: on,
                    contactCreation: false,
                    contactRoleCreation: false
                },
                notifications: {
                    meetingCategoryField: 'Event.Type',
                    onMeetingCreated: 'owner',
                    onMeetingCompleted: 'all_participants',
                    followUpQuestions: [
                        {
                            category: 'Meeting',
                            text: 'What are the next steps?',
                            field: 'Event.peopleai__Next_Steps__c'
                        },
                        { category: 'Meeting', text: 'How did it go?', field: 'Event.peopleai__Meeting_Outcome__c' },
                        { category: 'Meeting', text: 'Show the time as', field: 'Event.ShowAs' },
                        { category: 'Call', text: 'Call notes', field: 'Event.Description' }
                    ]
                }
            })
        ).id;
    }

    const sfUsers = await options.salesforce.query<{
        Id: string;
        Username: string;
        FirstName: string;
        LastName: string;
    }>(`SELECT Id, Username, FirstName, LastName FROM User WHERE Username IN ('${DEMO_REP}', '${DEMO_ADMIN}')`);
    const ensureUser = async (username: string, role: 'member' | 'admin') => {
        const sf = sfUsers.records.find((u) => u.Username === username);
        if (!sf) throw new Error(`the demo org has no user ${username}`);
        const found = await call<{ items: { id: string; email: string }[] }>(
            'GET',
            `/v1/users?q=${encodeURIComponent(username)}`
        );
        let id = found.items.find((u) => u.email.toLowerCase() === username)?.id;
        if (!id)
            id = (
                await call<{ id: string }>('POST', '/v1/users', {
                    firstName: sf.FirstName || 'Demo',
                    lastName: sf.LastName,
                    email: username,
                    salesforceUserId: sf.Id,
                    role,
                    visibility: 'full',
                    profileId
                })
            ).id;
        return { userId: id, salesforceUserId: sf.Id, name: `${sf.FirstName} ${sf.LastName}`.trim() };
    };
    const rep = await ensureUser(DEMO_REP, 'member');
    const admin = await ensureUser(DEMO_ADMIN, 'admin');

    const role = (
        await options.salesforce.query<{
            ContactId: string;
            OpportunityId: string;
            Contact: { Email: string };
            Opportunity: { Name: string };
        }>(
            'SELECT ContactId, OpportunityId, Contact.Email, Opportunity.Name FROM OpportunityContactRole ' +
                'WHERE Opportunity.IsClosed = false AND Contact.Email != null ORDER BY Opportunity.Name LIMIT 1'
        )
    ).records[0];
    if (!role) throw new Error('the demo org has no open opportunity with a contact role');
    const start = new Date(Date.now() - 2 * 3_600_000);
    const meeting = await call<{ id: string }>('POST', '/v1/activities', {
        externalId: DEMO_MEETING,
        type: 'meeting',
        ownerEmail: DEMO_REP,
        subject: `${role.Opportunity.Name}: next steps`,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        participants: [
            { email: DEMO_REP, role: 'organizer' },
            { email: role.Contact.Email, role: 'attendee' }
        ]
    });
    return {
        rep,
        admin,
        meetingId: meeting.id,
        opportunity: { id: role.OpportunityId, name: role.Opportunity.Name },
        contact: { id: role.ContactId, email: role.Contact.Email }
    };
}
