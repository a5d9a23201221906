import { LightningElement, api } from 'lwc';
import { get, post } from 'c/backstoryApi';
import { LABELS } from 'c/adminLabels';

const COLUMNS = [
    { label: LABELS.CANDIDATE, fieldName: 'name', wrapText: true },
    { label: 'Type', fieldName: 'type', initialWidth: 110 },
    { label: LABELS.SCORE, fieldName: 'score', type: 'number', initialWidth: 80 },
    { label: LABELS.RANK, fieldName: 'rankText', initialWidth: 70 },
    { label: LABELS.REASONS, fieldName: 'reasons', wrapText: true }
];

/** The sample as POST /v1/matching/preview takes it. */
function sampleActivity(sample) {
    return {
        type: sample.type,
        ownerEmail: sample.ownerEmail,
        subject: sample.subject,
        startsAt: sample.startsAt ?? new Date().toISOString(),
        participants: sample.participants
    };
}

function pickText(pick, candidates) {
    if (!pick) return LABELS.NO_MATCH;
    const c = candidates.find((x) => x.recordId === pick.recordId);
    return `${c?.name ?? pick.recordId} (${pick.type}, ${pick.score})`;
}

function shape(result) {
    const candidates = result.candidates ?? [];
    return {
        who: pickText(result.who, candidates),
        what: pickText(result.what, candidates),
        whoId: result.who?.recordId ?? null,
        whatId: result.what?.recordId ?? null,
        rows: candidates.map((c) => ({
            id: `${c.recordId}`,
            name: c.name,
            type: c.type,
            score: c.score,
            rankText: c.rank === null || c.rank === undefined ? '–' : String(c.rank),
            reasons: [
                c.signals.map((s) => `${s.name} +${s.points}`).join(', '),
                c.eligible ? '' : `${LABELS.NOT_ELIGIBLE}: ${c.eligibilityReason}`,
                c.rankingReason
            ]
                .filter(Boolean)
                .join(' · ')
        }))
    };
}

/**
 * MATCH-5 inside the profile editor: "Test these settings" dry-runs matching of a sample activity
 * (a recent one, or typed participants and subject) with the unsaved profile and with the saved
 * one, side by side, and says whether the change moves the match. Nothing is stored.
 */
export default class MatchingSimulation extends LightningElement {
    labels = LABELS;
    columns = COLUMNS;
    /** The saved profile's id. */
    @api profileId;
    /** The unsaved sections: { activity, matching, notifications }. */
    @api draft;

    source = 'typed';
    recent = [];
    recentId;
    type = 'meeting';
    ownerEmail = '';
    subject = '';
    participantsText = '';
    running = false;
    error;
    unsaved;
    saved;

    connectedCallback() {
        // A recent activity when the org has any (GET /v1/activities), else a typed sample.
        get('/v1/activities?limit=10')
            .then((r) => {
                this.recent = r?.items ?? [];
                if (this.recent.length) {
                    this.source = 'recent';
                    this.recentId = this.recent[0].id;
                }
            })
            .catch(() => {
                this.recent = [];
            });
        get('/v1/users?status=active&limit=1')
            .then((r) => {
                if (!this.ownerEmail && r?.items?.length) this.ownerEmail = r.items[0].email;
            })
            .catch(() => {});
    }

    get sourceOptions() {
        return [
            { value: 'recent', label: LABELS.SIMULATE_RECENT },
            { value: 'typed', label: LABELS.SIMULATE_TYPED }
        ];
    }
    get typeOptions() {
        return [
            { value: 'meeting', label: LABELS.MEETING },
            { value: 'email', label: LABELS.EMAIL }
        ];
    }
    get hasRecent() {
        return this.recent.length > 0;
    }
    get useRecent() {
        return this.source === 'recent' && this.hasRecent;
    }
    get recentOptions() {
        return this.recent.map((a) => ({ value: a.id, label: `${a.subject} (${a.type})` }));
    }
    get hasResult() {
        return !!this.unsaved && !!this.saved;
    }
    get changed() {
        if (!this.hasResult) return false;
        const rank = (r) => r.rows.map((x) => `${x.id}:${x.rankText}`).join('|');
        return (
            this.unsaved.whoId !== this.saved.whoId ||
            this.unsaved.whatId !== this.saved.whatId ||
            rank(this.unsaved) !== rank(this.saved)
        );
    }
    get verdict() {
        return this.changed ? LABELS.SIMULATE_CHANGED : LABELS.SIMULATE_SAME;
    }
    get verdictClass() {
        return `slds-box slds-box_x-small slds-m-vertical_small ${this.changed ? 'slds-theme_warning' : 'slds-theme_shade'}`;
    }

    handleSource(event) {
        this.source = event.detail.value;
    }
    handleRecent(event) {
        this.recentId = event.detail.value;
    }
    handleInput(event) {
        this[event.target.dataset.field] = event.detail.value;
    }

    sample() {
        if (this.useRecent) {
            const a = this.recent.find((x) => x.id === this.recentId) ?? this.recent[0];
            return sampleActivity({
                type: a.type,
                ownerEmail: a.ownerEmail,
                subject: a.subject,
                startsAt: a.startsAt,
                participants: a.participants
            });
        }
        return sampleActivity({
            type: this.type,
            ownerEmail: this.ownerEmail.trim(),
            subject: this.subject,
            participants: this.participantsText
                .split(/[\s,;]+/)
                .map((s) => s.trim())
                .filter(Boolean)
                .map((email) => ({ email }))
        });
    }

    async handleRun() {
        this.running = true;
        this.error = undefined;
        const activity = this.sample();
        const { activity: toggles, matching, notifications } = this.draft ?? {};
        try {
            const [unsaved, saved] = await Promise.all([
                post('/v1/matching/preview', {
                    activity,
                    profileId: this.profileId,
                    profile: { activity: toggles, matching, notifications }
                }),
                post('/v1/matching/preview', { activity, profileId: this.profileId })
            ]);
            this.unsaved = shape(unsaved);
            this.saved = shape(saved);
        } catch (e) {
            this.error = e;
            this.unsaved = undefined;
            this.saved = undefined;
        } finally {
            this.running = false;
        }
    }
}
