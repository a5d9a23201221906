// Shapes of API.md the admin console's tests share.
export const ACTIVITY_OFF = {
    intakeData: false,
    transcriptIntake: false,
    displayData: false,
    pushData: false,
    emailSync: false,
    meetingSync: false,
    contactCreation: false,
    contactRoleCreation: false
};

export function profile(overrides = {}) {
    return {
        id: 'prf_sales',
        name: 'Sales Team – Full Sync',
        isDefault: false,
        userCount: 0,
        activity: { ...ACTIVITY_OFF, intakeData: true, pushData: true },
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
        },
        ...overrides
    };
}

export const DEFAULT_PROFILE = profile({
    id: 'prf_default',
    name: 'Default - Intake Off',
    isDefault: true,
    userCount: 3,
    activity: ACTIVITY_OFF
});

const field = (path, label, type, extra = {}) => ({
    path,
    label,
    type,
    filterable: true,
    sortable: type !== 'textarea' && type !== 'multipicklist',
    updateable: !path.includes('.'),
    picklistValues: [],
    ...extra
});
const values = (...v) => v.map((x) => ({ value: x, label: x }));

export const FIELDS = {
    Opportunity: [
        field('Name', 'Name', 'string'),
        field('Type', 'Opportunity Type', 'picklist', { picklistValues: values('New Business', 'Existing Business') }),
        field('Amount', 'Amount', 'currency'),
        field('CloseDate', 'Close Date', 'date'),
        field('IsPrivate', 'Private', 'boolean'),
        field('Account.Type', 'Account › Account Type', 'picklist', {
            picklistValues: values('Customer', 'Partner', 'Prospect')
        })
    ],
    Account: [
        field('Name', 'Account Name', 'string'),
        field('Type', 'Account Type', 'picklist', { picklistValues: values('Customer', 'Partner', 'Prospect') }),
        field('Industry', 'Industry', 'picklist', { picklistValues: values('Technology', 'Retail') })
    ],
    Lead: [
        field('Name', 'Full Name', 'string'),
        field('Status', 'Lead Status', 'picklist', { picklistValues: values('Open') })
    ],
    Event: [
        field('Subject', 'Subject', 'string'),
        field('Type', 'Type', 'picklist', { picklistValues: values('Demo', 'Discovery', 'Meeting') }),
        field('peopleai__Next_Steps__c', 'Next Steps', 'textarea'),
        field('Id', 'Activity ID', 'id', { updateable: false })
    ]
};

export const fieldRoutes = () =>
    Object.fromEntries(
        Object.entries(FIELDS).map(([object, fields]) => [
            `GET /v1/salesforce/fields?object=${object}`,
            { object, label: object, fields }
        ])
    );
