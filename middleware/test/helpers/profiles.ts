import type { ActivitySettings } from '../../src/domain/profile';

/**
 * A configuration profile's activity section with intake, display and every sync on (CP-4), and no
 * contact or contact-role creation: what most tests of intake and write-back give their owners.
 */
export const ACTIVITY_SYNC_ON: ActivitySettings = {
    intakeData: true,
    transcriptIntake: true,
    displayData: true,
    pushData: true,
    emailSync: true,
    meetingSync: true,
    contactCreation: false,
    contactRoleCreation: false
};
