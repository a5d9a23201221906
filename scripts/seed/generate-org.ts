import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTACT_ROLES, OPPORTUNITY_STAGES } from '../../middleware/emulator/schema/standard-objects';
import { DEMO_ACCOUNTS, DEMO_DIR, DEMO_TODAY, demoSize } from './demo-org';
import {
    CITIES,
    CONTACT_TITLES,
    FIRST_NAMES,
    FREE_MAIL_DOMAINS,
    LAST_NAMES,
    LEGAL_FORMS,
    PRODUCTS,
    QUALIFIERS,
    ROOTS,
    SECTORS,
    TLDS
} from './names';

/**
 * Deterministic org generator: accounts with websites on unique domains, contacts with emails on
 * those domains, leads (a share on free-mail, some on existing account domains), opportunities
 * with stages, close dates around `today`, amounts and types, contact roles, and the users who
 * own them. The same `seed` always gives the same org. Used for the demo data plan and for
 * benchmarks (hundreds of thousands of rows in a few seconds).
 */

export interface OrgSize {
    accounts: number;
    contactsPerAccount: number;
    leads: number;
    /** May be fractional: 1.5 gives one or two per account, 1.5 on average. */
    opportunitiesPerAccount: number;
    /** Users who own the records (round-robin over accounts; contacts and opportunities follow their account). */
    users?: number;
    seed?: number;
    /** Close dates are spread around this day (default today). */
    today?: Date;
}

export type FieldValue = string | number | boolean | null;

export interface GeneratedRecord {
    referenceId: string;
    fields: Record<string, FieldValue>;
    /** Field → referenceId of another generated record (tree-plan `@ref`). */
    refs: Record<string, string>;
    /** referenceId of the owning generated user, when users were generated (not part of a tree plan). */
    owner?: string;
}

/** The objects of a data tree plan, in insert order. */
export interface GeneratedOrg {
    Account: GeneratedRecord[];
    Contact: GeneratedRecord[];
    Lead: GeneratedRecord[];
    Opportunity: GeneratedRecord[];
    OpportunityContactRole: GeneratedRecord[];
}

export interface GeneratedOrgWithUsers extends GeneratedOrg {
    /** User rows (Username, names, Email, Title, locale keys); setup data, so never in a tree plan. */
    users: GeneratedRecord[];
}

export const PLAN_OBJECTS: (keyof GeneratedOrg)[] = [
    'Account',
    'Contact',
    'Lead',
    'Opportunity',
    'OpportunityContactRole'
];

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function gcd(a: number, b: number): number {
    return b === 0 ? a : gcd(b, a % b);
}

const COMBINATIONS = QUALIFIERS.length * ROOTS.length * SECTORS.length * TLDS.length;

export interface Company {
    name: string;
    domain: string;
    industry: string;
    country: string;
}

/**
 * The i-th company of a seeded sequence. Indexes below the number of word combinations map to
 * distinct (qualifier, root, sector, tld) tuples through a permutation, so names and domains are
 * unique; beyond that a number is added to the domain (northwindanalytics2.com).
 */
const permutations = new Map<number, { multiplier: number; offset: number }>();

function permutation(seed: number): { multiplier: number; offset: number } {
    let found = permutations.get(seed);
    if (!found) {
        let multiplier = 7919 + (((seed * 2654435761) >>> 0) % 100000);
        while (gcd(multiplier, COMBINATIONS) !== 1) multiplier++;
        found = { multiplier, offset: ((seed * 40503) >>> 0) % COMBINATIONS };
        permutations.set(seed, found);
    }
    return found;
}

export function companyAt(index: number, seed: number): Company {
    const { multiplier, offset } = permutation(seed);
    const lap = Math.floor(index / COMBINATIONS);
    let p = ((index % COMBINATIONS) * multiplier + offset) % COMBINATIONS;
    const tld = TLDS[p % TLDS.length] ?? ['com', 'United States'];
    p = Math.floor(p / TLDS.length);
    const sector = SECTORS[p % SECTORS.length] ?? ['Systems', 'Technology'];
    p = Math.floor(p / SECTORS.length);
    const root = ROOTS[p % ROOTS.length] ?? 'Northwind';
    p = Math.floor(p / ROOTS.length);
    const qualifier = QUALIFIERS[p % QUALIFIERS.length] ?? '';
    const words = [qualifier, root, sector[0]].filter(Boolean);
    const legal = LEGAL_FORMS[index % LEGAL_FORMS.length] ?? '';
    const base = words.join('').toLowerCase();
    return {
        name: [...words, ...(legal ? [legal] : []), ...(lap > 0 ? [String(lap + 1)] : [])].join(' '),
        domain: `${base}${lap > 0 ? lap + 1 : ''}.${tld[0]}`,
        industry: sector[1],
        country: tld[1]
    };
}

const ACCOUNT_TYPE_CYCLE = [
    'Prospect',
    'Customer - Direct',
    'Prospect',
    'Customer - Channel',
    'Customer - Direct',
    'Channel Partner / Reseller',
    'Prospect',
    'Customer - Direct',
    'Technology Partner',
    'Prospect'
] as const;
const isPartner = (type: string) => type.includes('Partner');
const OPEN_STAGES = OPPORTUNITY_STAGES.filter(([, , closed]) => !closed);
const STAGE = new Map(OPPORTUNITY_STAGES.map(([name, probability]) => [name, probability]));

const slugs = new Map<string, string>();

/** Lower-case ASCII letters and digits only ("O'Brien" → "obrien"); cached, names repeat. */
function slug(text: string): string {
    let cached = slugs.get(text);
    if (cached === undefined) {
        cached = slugOf(text);
        slugs.set(text, cached);
    }
    return cached;
}

function slugOf(text: string): string {
    return text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '');
}

function digits(rand: () => number, count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
    return out;
}

function phone(rand: () => number, country: string): string {
    switch (country) {
        case 'United Kingdom':
            return `+44 20 ${digits(rand, 4)} ${digits(rand, 4)}`;
        case 'Germany':
            return `+49 30 ${digits(rand, 8)}`;
        case 'France':
            return `+33 1 ${digits(rand, 2)} ${digits(rand, 2)} ${digits(rand, 2)} ${digits(rand, 2)}`;
        case 'Australia':
            return `+61 2 ${digits(rand, 4)} ${digits(rand, 4)}`;
        default:
            return `(${200 + Math.floor(rand() * 700)}) 555-${digits(rand, 4)}`;
    }
}

export interface AccountSeed extends Company {
    type?: string;
    employees?: number;
}

interface GenerateOptions {
    /** Fixed accounts (the demo org); when given, `size.accounts` is ignored. */
    accountSeeds?: AccountSeed[];
}

export function generateOrg(size: OrgSize, options: GenerateOptions = {}): GeneratedOrgWithUsers {
    const seed = size.seed ?? 42;
    const rand = rng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const today = size.today ?? new Date();
    const dayMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    const day = (offset: number) => new Date(dayMs + offset * 86400000).toISOString().slice(0, 10);

    const out: GeneratedOrgWithUsers = {
        Account: [],
        Contact: [],
        Lead: [],
        Opportunity: [],
        OpportunityContactRole: [],
        users: []
    };

    const userCount = size.users ?? 0;
    for (let u = 1; u <= userCount; u++) {
        const first = pick(FIRST_NAMES);
        const last = pick(LAST_NAMES);
        const username = `${slug(first)}.${slug(last)}${u}@generated.backstory.local`;
        out.users.push({
            referenceId: `UserRef${u}`,
            refs: {},
            fields: {
                Username: username,
                FirstName: first,
                LastName: last,
                Email: username,
                Alias: `${slug(first).slice(0, 1)}${slug(last).slice(0, 4)}${u}`.slice(0, 8),
                Title: u === 1 ? 'VP Sales' : u % 6 === 0 ? 'Sales Manager' : 'Account Executive',
                IsActive: true,
                TimeZoneSidKey: 'America/New_York',
                LocaleSidKey: 'en_US',
                EmailEncodingKey: 'UTF-8',
                LanguageLocaleKey: 'en_US'
            }
        });
    }
    const ownerFor = (i: number) => (userCount > 0 ? `UserRef${(i % userCount) + 1}` : undefined);

    const accounts: AccountSeed[] =
        options.accountSeeds ?? Array.from({ length: size.accounts }, (_, i) => companyAt(i, seed));
    let contactN = 0;
    let opportunityN = 0;
    accounts.forEach((company, index) => {
        const a = index + 1;
        const accountRef = `AccountRef${a}`;
        const type = company.type ?? ACCOUNT_TYPE_CYCLE[index % ACCOUNT_TYPE_CYCLE.length] ?? 'Prospect';
        const employees = company.employees ?? Math.round(20 + rand() ** 3 * 20000);
        const [city, state] = pick(CITIES[company.country] ?? CITIES['United States'] ?? [['Boston', 'MA']]);
        const owner = ownerFor(index);
        out.Account.push({
            referenceId: accountRef,
            refs: {},
            ...(owner ? { owner } : {}),
            fields: {
                Name: company.name,
                Website: `https://www.${company.domain}`,
                Type: type,
                Industry: company.industry,
                NumberOfEmployees: employees,
                AnnualRevenue: Math.round((employees * (120000 + rand() * 180000)) / 100000) * 100000,
                Rating: employees > 5000 ? 'Hot' : employees > 500 ? 'Warm' : 'Cold',
                Ownership: employees > 8000 ? 'Public' : 'Private',
                Phone: phone(rand, company.country),
                BillingStreet: `${100 + Math.floor(rand() * 9800)} ${pick(['Market', 'Main', 'Harbor', 'King', 'Park', 'Mission'])} Street`,
                BillingCity: city,
                BillingState: state,
                BillingPostalCode: String(10000 + Math.floor(rand() * 89999)),
                BillingCountry: company.country,
                AccountSource: pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Purchased List', 'Other'])
            }
        });

        const contacts: string[] = [];
        const used = new Set<string>();
        for (let c = 0; c < size.contactsPerAccount; c++) {
            contactN++;
            const first = pick(FIRST_NAMES);
            const last = pick(LAST_NAMES);
            let local = `${slug(first)}.${slug(last)}`;
            for (let k = 2; used.has(local); k++) local = `${slug(first)}.${slug(last)}${k}`;
            used.add(local);
            const [title, department] =
                c === 0 && isPartner(type) ? ['Alliances Director', 'Partnerships'] : pick(CONTACT_TITLES);
            const ref = `ContactRef${contactN}`;
            contacts.push(ref);
            out.Contact.push({
                referenceId: ref,
                refs: { AccountId: accountRef },
                ...(owner ? { owner } : {}),
                fields: {
                    FirstName: first,
                    LastName: last,
                    Email: `${local}@${company.domain}`,
                    Title: title,
                    Department: department,
                    Phone: phone(rand, company.country),
                    MobilePhone: rand() < 0.4 ? phone(rand, company.country) : null,
                    MailingCity: city,
                    MailingCountry: company.country,
                    LeadSource: pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Other'])
                }
            });
        }

        // Spread evenly: account i gets floor((i+1)·rate) − floor(i·rate), so the total is exactly floor(n·rate).
        const rate = size.opportunitiesPerAccount;
        const count = Math.floor((index + 1) * rate) - Math.floor(index * rate);
        for (let o = 0; o < count; o++) {
            opportunityN++;
            const ref = `OpportunityRef${opportunityN}`;
            // About a third closed (two thirds of those won), the rest open across the pipeline.
            const roll = rand();
            const stage =
                roll < 0.2 ? 'Closed Won' : roll < 0.3 ? 'Closed Lost' : (pick(OPEN_STAGES)[0] ?? 'Prospecting');
            const closed = stage.startsWith('Closed');
            // Closed deals closed in the last year; open ones close in the next six months, a few are overdue.
            const closeOffset = closed ? -Math.floor(rand() * 365) - 1 : Math.floor(rand() * 200) - 20;
            const oppType = isPartner(type)
                ? 'Partner'
                : type.startsWith('Customer')
                  ? rand() < 0.8
                      ? 'Existing Business'
                      : 'New Business'
                  : 'New Business';
            const product =
                oppType === 'Partner'
                    ? 'Partner Resale'
                    : oppType === 'Existing Business'
                      ? pick(PRODUCTS)
                      : 'Platform Subscription';
            out.Opportunity.push({
                referenceId: ref,
                refs: { AccountId: accountRef },
                ...(owner ? { owner } : {}),
                fields: {
                    Name: `${company.name.replace(/ (Inc\.|LLC|Corp\.|Ltd|Group|Co\.|Holdings)$/, '')} - ${product}`,
                    StageName: stage,
                    CloseDate: day(closeOffset),
                    Amount: Math.max(5000, Math.round((employees * (5 + rand() * 40)) / 500) * 500),
                    Probability: STAGE.get(stage) ?? 10,
                    Type: oppType,
                    LeadSource: pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Other']),
                    NextStep: closed
                        ? null
                        : pick(['Schedule demo', 'Send proposal', 'Security review', 'Negotiate terms'])
                }
            });
            const roles = Math.min(contacts.length, 1 + Math.floor(rand() * 3));
            const start = Math.floor(rand() * Math.max(1, contacts.length));
            for (let r = 0; r < roles; r++) {
                const contactRef = contacts[(start + r) % contacts.length];
                if (!contactRef) continue;
                out.OpportunityContactRole.push({
                    referenceId: `OpportunityContactRoleRef${out.OpportunityContactRole.length + 1}`,
                    refs: { OpportunityId: ref, ContactId: contactRef },
                    fields: { Role: r === 0 ? 'Decision Maker' : pick(CONTACT_ROLES), IsPrimary: r === 0 }
                });
            }
        }
    });

    // Leads in a fixed cycle of 20: 7 on free-mail, 2 at an existing account's domain, 11 at new companies.
    for (let l = 1; l <= size.leads; l++) {
        const first = pick(FIRST_NAMES);
        const last = pick(LAST_NAMES);
        const kind = (l - 1) % 20;
        const existing = kind === 7 || kind === 8 ? accounts[Math.floor(rand() * accounts.length)] : undefined;
        const company = existing ?? companyAt(accounts.length + l - 1, seed);
        const free = kind < 7;
        const domain = free ? pick(FREE_MAIL_DOMAINS) : company.domain;
        const local = free ? `${slug(first)}.${slug(last)}${l}` : `${slug(first)}.${slug(last)}`;
        const [title] = pick(CONTACT_TITLES);
        const owner = ownerFor(l);
        out.Lead.push({
            referenceId: `LeadRef${l}`,
            refs: {},
            ...(owner ? { owner } : {}),
            fields: {
                FirstName: first,
                LastName: last,
                Company: company.name,
                Email: `${local}@${domain}`,
                Title: title,
                Phone: phone(rand, company.country),
                Website: free ? null : `https://www.${company.domain}`,
                Status:
                    l % 9 === 0
                        ? 'Closed - Not Converted'
                        : l % 2 === 0
                          ? 'Working - Contacted'
                          : 'Open - Not Contacted',
                Industry: company.industry,
                Rating: pick(['Hot', 'Warm', 'Cold']),
                LeadSource: pick(['Web', 'Purchased List', 'Phone Inquiry', 'Partner Referral', 'Other']),
                NumberOfEmployees: Math.round(10 + rand() ** 3 * 5000),
                City: pick(CITIES[company.country] ?? [['Boston', 'MA']])[0],
                Country: company.country
            }
        });
    }
    return out;
}

/** Tree import sends one request per file and a request takes at most 200 records. */
export const TREE_FILE_LIMIT = 200;

export interface PlanEntry {
    sobject: string;
    saveRefs: boolean;
    resolveRefs: boolean;
    files: string[];
}

/** The records of one tree-plan file: nulls dropped (a tree import sends only the fields given). */
export function treeRecords(object: string, records: GeneratedRecord[]): Record<string, unknown>[] {
    return records.map((r) => {
        const out: Record<string, unknown> = { attributes: { type: object, referenceId: r.referenceId } };
        for (const [k, v] of Object.entries(r.fields)) if (v !== null) out[k] = v;
        for (const [k, v] of Object.entries(r.refs)) out[k] = `@${v}`;
        return out;
    });
}

/**
 * Write an `sf data tree` plan: `<prefix>-plan.json` and, per object, `<Object>.json` (or
 * `<Object>-001.json` … when it has more than 200 records). Earlier `.json` files of these objects
 * in `dir` are removed first so a smaller plan leaves no stale files.
 */
export function writeTreePlan(org: GeneratedOrg, dir: string, prefix = 'demo'): string {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) {
        if (PLAN_OBJECTS.some((o) => file === `${o}.json` || new RegExp(`^${o}-\\d+\\.json$`).test(file))) {
            rmSync(path.join(dir, file));
        }
    }
    const plan: PlanEntry[] = [];
    for (const object of PLAN_OBJECTS) {
        const records = org[object];
        if (records.length === 0) continue;
        const chunks = Math.ceil(records.length / TREE_FILE_LIMIT);
        const files: string[] = [];
        for (let i = 0; i < chunks; i++) {
            const file = chunks === 1 ? `${object}.json` : `${object}-${String(i + 1).padStart(3, '0')}.json`;
            const slice = records.slice(i * TREE_FILE_LIMIT, (i + 1) * TREE_FILE_LIMIT);
            writeFileSync(
                path.join(dir, file),
                `${JSON.stringify({ records: treeRecords(object, slice) }, null, 4)}\n`
            );
            files.push(file);
        }
        plan.push({
            sobject: object,
            saveRefs: true,
            resolveRefs: records.some((r) => Object.keys(r.refs).length > 0),
            files
        });
    }
    const planFile = path.join(dir, `${prefix}-plan.json`);
    writeFileSync(planFile, `${JSON.stringify(plan, null, 4)}\n`);
    return planFile;
}

/** The demo org's records (scripts/seed/demo-org.ts), close dates around `today`. */
export function generateDemoOrg(today: Date = DEMO_TODAY): GeneratedOrgWithUsers {
    return generateOrg(demoSize(today), { accountSeeds: DEMO_ACCOUNTS });
}

/** Rewrite scripts/seed/demo (demo-plan.json and one file per object); returns the plan's path. */
export function writeDemoPlan(today: Date = DEMO_TODAY, dir = DEMO_DIR): string {
    return writeTreePlan(generateDemoOrg(today), dir, 'demo');
}

const USAGE = `usage: tsx scripts/seed/generate-org.ts --out DIR [--accounts N] [--contacts-per-account N]
         [--leads N] [--opportunities-per-account N] [--users N] [--seed N] [--today YYYY-MM-DD]
       tsx scripts/seed/generate-org.ts --demo [--today YYYY-MM-DD]   (rewrites scripts/seed/demo)
`;

/** Parse the CLI arguments; throws with a message naming the bad option. */
export function parseArgs(argv: string[]): { demo: boolean; out?: string; size: OrgSize } {
    const known = new Set([
        'demo',
        'out',
        'accounts',
        'contacts-per-account',
        'leads',
        'opportunities-per-account',
        'users',
        'seed',
        'today'
    ]);
    const values = new Map<string, string>();
    let demo = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] ?? '';
        const name = arg.replace(/^--/, '');
        if (!arg.startsWith('--') || !known.has(name)) throw new Error(`unknown argument ${arg}`);
        if (name === 'demo') {
            demo = true;
            continue;
        }
        const value = argv[++i];
        if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
        values.set(name, value);
    }
    const num = (name: string, fallback: number) => {
        const raw = values.get(name);
        if (raw === undefined) return fallback;
        const v = Number(raw);
        if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
        return v;
    };
    const todayRaw = values.get('today');
    if (todayRaw !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(todayRaw)) {
        throw new Error(`--today must be YYYY-MM-DD, got ${todayRaw}`);
    }
    const today = todayRaw ? new Date(`${todayRaw}T00:00:00Z`) : undefined;
    if (today && Number.isNaN(today.getTime())) throw new Error(`--today is not a date: ${todayRaw}`);
    const out = values.get('out');
    return {
        demo,
        ...(out ? { out } : {}),
        size: {
            accounts: Math.floor(num('accounts', 100)),
            contactsPerAccount: Math.floor(num('contacts-per-account', 4)),
            leads: Math.floor(num('leads', 50)),
            opportunitiesPerAccount: num('opportunities-per-account', 1.5),
            users: Math.floor(num('users', 0)),
            seed: Math.floor(num('seed', 42)),
            ...(today ? { today } : {})
        }
    };
}

if (require.main === module) {
    let args: ReturnType<typeof parseArgs>;
    try {
        args = parseArgs(process.argv.slice(2));
        if (!args.demo && !args.out) throw new Error('--out DIR or --demo is required');
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}`);
        process.exit(64);
    }
    if (args.demo) {
        process.stdout.write(`wrote ${writeDemoPlan(args.size.today)}\n`);
    } else if (args.out) {
        const started = performance.now();
        const org = generateOrg(args.size);
        const rows = PLAN_OBJECTS.reduce((n, o) => n + org[o].length, 0);
        const file = writeTreePlan(org, path.resolve(args.out), 'org');
        process.stdout.write(`wrote ${file}: ${rows} records in ${Math.round(performance.now() - started)} ms\n`);
    }
}
