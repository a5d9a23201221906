import type { ProfileSections } from './profile';

/**
 * The profile every org always has (CP-9): it blocks all collection and syncing, and cannot be
 * deleted. Users added without a profile, and users imported from the role hierarchy, land on it.
 */
export const DEFAULT_PROFILE_NAME = 'Default - Intake Off';

export const ACTIVITY_TOGGLES = [
    'intakeData',
    'transcriptIntake',
    'displayData',
    'pushData',
    'emailSync',
    'meetingSync',
    'contactCreation',
    'contactRoleCreation'
] as const;

export type ActivityToggle = (typeof ACTIVITY_TOGGLES)[number];

/** Defaults for a new profile (API.md): every toggle off, minScore 50, every type `all`, no ranking groups, notifications to the owner. */
export function defaultProfileSections(): ProfileSections {
    return {
        activity: Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, false])) as ProfileSections['activity'],
        matching: {
            minScore: 50,
            eligibility: {
                Opportunity: { mode: 'all', groups: [] },
                Account: { mode: 'all', groups: [] },
                Lead: { mode: 'all', groups: [] }
            },
            rankingGroups: []
        },
        notifications: {
            meetingCategoryField: null,
            onMeetingCreated: 'owner',
            onMeetingCompleted: 'owner',
            followUpQuestions: []
        }
    };
}
