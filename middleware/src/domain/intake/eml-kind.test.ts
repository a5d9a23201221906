import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultProfileSections } from '../profile-defaults';
import { matchActivity } from '../matching/pipeline';
import { ReplicaIndex } from '../matching/replica-index';
import type { CrmRecord, ReplicaObject } from '../matching/types';
import { parseEml } from './eml';

/**
 * Real .eml files (middleware/test/fixtures/eml): the headers that mark bulk mail and
 * auto-replies reach the activity-kind classifier, so a newsletter or an out-of-office sent from a
 * known contact's own address matches nothing (MATCH-4, MATCH-5), and a real reply still matches.
 */
const fixture = (name: string) => readFileSync(path.join(__dirname, '../../../test/fixtures/eml', name), 'utf8');

const OWNER = 'casey.chen@demo.backstory.local';
const CASEY = '005000000000001AAA';
const rows: [ReplicaObject, CrmRecord][] = [
    ['User', { Id: CASEY, Name: 'Casey Chen', Email: OWNER }],
    ['Account', { Id: 'A1', Name: 'Customer Example', Website: 'customer.example', OwnerId: CASEY }],
    [
        'Contact',
        { Id: 'C1', Name: 'Ann Rivera', Email: 'ann.rivera@customer.example', AccountId: 'A1', OwnerId: CASEY }
    ],
    [
        'Opportunity',
        {
            Id: 'O1',
            Name: 'Customer Example - Renewal',
            AccountId: 'A1',
            OwnerId: CASEY,
            IsClosed: false,
            StageName: 'Proposal',
            CloseDate: '2026-12-01'
        }
    ]
];
const replica = ReplicaIndex.build(rows.map(([object, record]) => ({ object, record })));

async function matchFixture(name: string) {
    const parsed = await parseEml(fixture(name));
    const match = matchActivity(
        {
            type: parsed.type,
            subject: parsed.subject,
            startsAt: parsed.startsAt,
            ownerEmail: OWNER,
            participants: parsed.participants,
            headers: parsed.headers
        },
        replica,
        defaultProfileSections().matching
    );
    return { parsed, match };
}

describe('MATCH-4 .eml headers reach the activity-kind classifier', () => {
    it('reads List-Unsubscribe (folded), Precedence and Auto-Submitted as written, and nothing else', async () => {
        expect((await parseEml(fixture('list-unsubscribe.eml'))).headers).toEqual({
            'list-unsubscribe':
                '<https://customer.us21.list-manage.com/unsubscribe?u=8f2c1e&id=4d0b2a&e=7c19>, <mailto:unsubscribe-mc.us21_8f2c1e.4d0b2a-7c19@unsubscribe.mailchimpapp.net?subject=unsubscribe>'
        });
        expect((await parseEml(fixture('precedence-bulk.eml'))).headers).toEqual({ precedence: 'bulk' });
        expect((await parseEml(fixture('auto-submitted.eml'))).headers).toEqual({ 'auto-submitted': 'auto-replied' });
        expect((await parseEml(fixture('customer-reply.eml'))).headers).toEqual({ 'auto-submitted': 'no' });
    });

    it.each([
        ['list-unsubscribe.eml', 'bulk mail: List-Unsubscribe header'],
        ['precedence-bulk.eml', 'bulk mail: Precedence: bulk'],
        ['auto-submitted.eml', 'auto-reply: Auto-Submitted: auto-replied']
    ])('%s from a known contact matches nothing, and says why', async (name, reason) => {
        const { match } = await matchFixture(name);
        expect(match.who).toBeNull();
        expect(match.what).toBeNull();
        const ann = match.candidates.find((c) => c.recordId === 'C1');
        expect(ann?.rankingReason).toContain(`not picked: ${reason}`);
    });

    it('a real reply from the same contact (Auto-Submitted: no) still matches her and her deal', async () => {
        const { match } = await matchFixture('customer-reply.eml');
        expect(match.who?.recordId).toBe('C1');
        expect(match.what?.recordId).toBe('O1');
    });
});
