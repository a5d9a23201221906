/**
 * The users CSV (UT-6, API.md): parsing with csv-parse (quoted fields, BOM, CRLF), per-row
 * checks that name the line and the column, and spreadsheet formula neutralisation. Pure: the
 * import route supplies the org's profiles and teams and applies the result.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
    LICENSE_LABELS,
    normalizeLicenses,
    parseLicense,
    parseRole,
    parseVisibility,
    ROLE_LABELS,
    VISIBILITY_LABELS,
    type LicenseValue,
    type UserRoleValue,
    type VisibilityValue
} from './users';
import { IMPORT_LIMITS, timeSlicer } from './limits';

export const CSV_COLUMNS = [
    'First Name',
    'Last Name',
    'Email',
    'Role',
    'Licenses',
    'Object Visibility',
    'Team',
    'Configuration Profile',
    'Job Title'
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const REQUIRED: CsvColumn[] = ['First Name', 'Last Name', 'Email'];

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const HEADER_ALIASES = new Map<string, CsvColumn>([
    ...CSV_COLUMNS.map((c) => [norm(c), c] as [string, CsvColumn]),
    ['licences', 'Licenses'],
    ['license', 'Licenses'],
    ['licence', 'Licenses'],
    ['visibility', 'Object Visibility'],
    ['profile', 'Configuration Profile'],
    ['title', 'Job Title'],
    ['email address', 'Email']
]);

export interface ImportError {
    line: number;
    /** The column's header as in the file ('' for errors about the whole line or file). */
    column: string;
    message: string;
}

/** One valid row; `undefined` = the cell was empty or the column absent (new users get the default, existing users keep theirs). */
export interface CsvUserRow {
    line: number;
    firstName: string;
    lastName: string;
    email: string;
    role: UserRoleValue | undefined;
    licenses: LicenseValue[] | undefined;
    visibility: VisibilityValue | undefined;
    team: string | undefined;
    profile: string | undefined;
    jobTitle: string | undefined;
    /** The column names as the file wrote them (for error messages found later). */
    headers: Partial<Record<CsvColumn, string>>;
    /** False when the row has errors of its own (in `errors`); its team and profile are still checked. */
    valid: boolean;
}

/** Formula triggers, their full-width forms (＝＋－＠, which spreadsheets read as = + - @) and tab, CR, LF. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A spreadsheet would run a cell starting with = + - @ (or their full-width forms), tab, CR or
 * LF: prefix it with `'` (OWASP CSV injection, SEC-6).
 */
export function neutralizeCell(value: string): string {
    return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undo neutralizeCell: a leading `'` before a formula character is dropped. */
export function restoreCell(value: string): string {
    return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const emailSchema = z.email();

interface CsvRecord {
    record: string[];
    info: { lines: number };
    raw: string;
}

/**
 * csv-parse fed in 64 KB pieces with a turn of the event loop between them (SEC-6: a large file
 * never stalls other requests).
 */
async function readRecords(text: string): Promise<CsvRecord[]> {
    const parser = parse({
        bom: true,
        info: true,
        raw: true,
        relax_column_count: true,
        skip_records_with_empty_values: false,
        max_record_size: IMPORT_LIMITS.csvCellChars * 2 * CSV_COLUMNS.length
    });
    const records: CsvRecord[] = [];
    let failure: unknown = null;
    parser.on('readable', () => {
        let r: CsvRecord | null;
        while ((r = parser.read() as CsvRecord | null) !== null) records.push(r);
    });
    parser.on('error', (error) => {
        failure ??= error;
    });
    const done = new Promise<void>((resolve) => {
        parser.on('end', resolve);
        parser.on('error', () => resolve());
    });
    const size = 64 * 1024;
    for (let i = 0; i < text.length && failure === null; i += size) {
        parser.write(text.slice(i, i + size));
        await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (failure === null) parser.end();
    await done;
    if (failure !== null) throw failure;
    return records;
}

/** Lines of the text up to `max + 1`, counted without building them (`\n` only: the text is normalised first). */
function lineCount(text: string, max: number): number {
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1 && n <= max; i = text.indexOf('\n', i + 1)) n++;
    return n;
}

/**
 * Parse and check the file. Rows are reported by the line they start on (the header is line 1);
 * a multi-line quoted cell counts its lines. SEC-6: at most IMPORT_LIMITS.csvLines lines (blank
 * ones count), cells of at most IMPORT_LIMITS.csvCellChars, parsed without stalling.
 */
export async function parseUsersCsv(text: string): Promise<{ rows: CsvUserRow[]; errors: ImportError[] }> {
    const errors: ImportError[] = [];
    // One line terminator: CRLF and CR become LF before parsing, so line numbers are plain.
    const normalized = text.replace(/\r\n?/g, '\n');
    const lines = lineCount(normalized, IMPORT_LIMITS.csvLines);
    if (lines > IMPORT_LIMITS.csvLines)
        return {
            rows: [],
            errors: [
                {
                    line: IMPORT_LIMITS.csvLines + 1,
                    column: '',
                    message: `the file has more than ${IMPORT_LIMITS.csvLines} lines (blank lines count): split it`
                }
            ]
        };
    let records: CsvRecord[];
    try {
        records = await readRecords(normalized);
    } catch (error) {
        const e = error as { lines?: number; message?: string };
        return {
            rows: [],
            errors: [{ line: e.lines ?? 1, column: '', message: `not readable as CSV: ${e.message ?? String(error)}` }]
        };
    }
    // Each record with the line it starts on; blank records dropped (SEC-6: with turns between).
    const withLines: { cells: string[]; line: number }[] = [];
    const lining = timeSlicer();
    for (const r of records) {
        if (r.record.some((c) => c.trim() !== '')) {
            const inner = (r.raw.replace(/\n$/, '').match(/\n/g) ?? []).length;
            withLines.push({ cells: r.record, line: r.info.lines - inner });
        }
        await lining.maybeYield();
    }
    const header = withLines[0];
    if (!header)
        return { rows: [], errors: [{ line: 1, column: '', message: 'the file is empty: it needs a header row' }] };

    const index = new Map<CsvColumn, number>();
    const headers: Partial<Record<CsvColumn, string>> = {};
    header.cells.forEach((raw, i) => {
        const name = restoreCell(raw)
            .replace(/^\uFEFF/, '')
            .trim();
        const column = HEADER_ALIASES.get(norm(name));
        if (!column) {
            errors.push({
                line: header.line,
                column: name,
                message: `unknown column "${name}": the columns are ${CSV_COLUMNS.join(', ')}`
            });
        } else if (index.has(column)) {
            errors.push({ line: header.line, column: name, message: `column ${column} appears twice` });
        } else {
            index.set(column, i);
            headers[column] = name;
        }
    });
    for (const c of REQUIRED)
        if (!index.has(c))
            errors.push({ line: header.line, column: c, message: `the required column ${c} is missing` });
    if (errors.length > 0) return { rows: [], errors };

    const rows: CsvUserRow[] = [];
    const seen = new Map<string, number>();
    const slice = timeSlicer();
    for (const rec of withLines.slice(1)) {
        await slice.maybeYield();
        const line = rec.line;
        const rowErrors: ImportError[] = [];
        const cell = (c: CsvColumn): string | undefined => {
            const i = index.get(c);
            if (i === undefined) return undefined;
            const v = restoreCell(rec.cells[i] ?? '').trim();
            return v === '' ? undefined : v;
        };
        const fail = (c: CsvColumn, message: string) => rowErrors.push({ line, column: headers[c] ?? c, message });
        for (const [c, i] of index)
            if ((rec.cells[i] ?? '').length > IMPORT_LIMITS.csvCellChars)
                fail(c, `is longer than ${IMPORT_LIMITS.csvCellChars} characters`);
        if (rec.cells.length > header.cells.length && rec.cells.slice(header.cells.length).some((c) => c.trim() !== ''))
            rowErrors.push({
                line,
                column: '',
                message: `has ${rec.cells.length} cells but the header has ${header.cells.length} columns`
            });

        const firstName = cell('First Name');
        const lastName = cell('Last Name');
        const email = cell('Email');
        if (!firstName) fail('First Name', 'is required');
        else if (firstName.length > 100) fail('First Name', 'is longer than 100 characters');
        if (!lastName) fail('Last Name', 'is required');
        else if (lastName.length > 100) fail('Last Name', 'is longer than 100 characters');
        if (!email) fail('Email', 'is required');
        else if (!emailSchema.safeParse(email).success || email.length > 254)
            fail('Email', `"${email}" is not an email address`);
        else {
            const previous = seen.get(email.toLowerCase());
            if (previous !== undefined)
                fail('Email', `${email} is already on line ${previous}: each user appears once`);
            else seen.set(email.toLowerCase(), line);
        }

        const roleText = cell('Role');
        const role = roleText === undefined ? undefined : parseRole(roleText);
        if (role === null) fail('Role', `"${roleText ?? ''}" is not a role: use Admin, Manager, Member or Data`);

        const visText = cell('Object Visibility');
        const visibility = visText === undefined ? undefined : parseVisibility(visText);
        if (visibility === null)
            fail('Object Visibility', `"${visText ?? ''}" is not a visibility: use Full, Team or Individual`);

        const licText = cell('Licenses');
        let licenses: LicenseValue[] | undefined;
        if (licText !== undefined) {
            const parts = licText
                .split(';')
                .map((p) => p.trim())
                .filter((p) => p !== '');
            const parsed = parts.map((p) => [p, parseLicense(p)] as const);
            const bad = parsed.filter(([, l]) => l === null).map(([p]) => `"${p}"`);
            if (bad.length > 0)
                fail(
                    'Licenses',
                    `${bad.join(', ')} ${bad.length === 1 ? 'is not a licence' : 'are not licences'}: use ${Object.values(LICENSE_LABELS).join('; ')} (PeopleGlass Enterprise is accepted), separated by ;`
                );
            else if (parts.length === 0) fail('Licenses', 'names no licence');
            else licenses = normalizeLicenses(parsed.map(([, l]) => l as LicenseValue));
        }

        const jobTitle = cell('Job Title');
        if (jobTitle && jobTitle.length > 200) fail('Job Title', 'is longer than 200 characters');
        const team = cell('Team');
        const profile = cell('Configuration Profile');

        errors.push(...rowErrors);
        rows.push({
            valid: rowErrors.length === 0,
            line,
            firstName: firstName ?? '',
            lastName: lastName ?? '',
            email: email ?? '',
            role: role ?? undefined,
            licenses,
            visibility: visibility ?? undefined,
            team,
            profile,
            jobTitle,
            headers
        });
    }
    return { rows, errors };
}

export interface CsvExportUser {
    firstName: string;
    lastName: string;
    email: string;
    role: UserRoleValue;
    licenses: LicenseValue[];
    visibility: VisibilityValue;
    team: string;
    profile: string;
    jobTitle: string;
}

/** The export: the import's columns, licence and role names as admins write them, formulas neutralised. */
export function stringifyUsersCsv(users: CsvExportUser[]): string {
    const rows = users.map((u) =>
        [
            u.firstName,
            u.lastName,
            u.email,
            ROLE_LABELS[u.role],
            u.licenses.map((l) => LICENSE_LABELS[l]).join(';'),
            VISIBILITY_LABELS[u.visibility],
            u.team,
            u.profile,
            u.jobTitle
        ].map(neutralizeCell)
    );
    return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows' });
}
