// Stands in for `lightning/navigation` in the preview (the npm base components do not ship
// force/navigation). The hash route is the page: `#followUpQuestions?c__activityId=…` is the
// Follow-ups tab with that state, `#record/Opportunity/006…` a record page.
function currentPageReference() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const [name = '', query = ''] = hash.split('?');
    const state = Object.fromEntries(new URLSearchParams(query));
    if (name.startsWith('record/')) {
        const [, objectApiName, recordId] = name.split('/');
        return { type: 'standard__recordPage', attributes: { recordId, objectApiName, actionName: 'view' }, state };
    }
    return { type: 'standard__navItemPage', attributes: { apiName: name }, state };
}

export class CurrentPageReference {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.onChange = () => this.dataCallback(currentPageReference());
    }

    connect() {
        window.addEventListener('hashchange', this.onChange);
        this.dataCallback(currentPageReference());
    }

    disconnect() {
        window.removeEventListener('hashchange', this.onChange);
    }

    update() {}
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](ref) {
            if (ref?.type === 'standard__recordPage')
                window.location.hash = `record/${ref.attributes.objectApiName}/${ref.attributes.recordId}`;
            // A tab: the server's /lightning/n/<tab> opens the preview page of the tab's component.
            else if (ref?.type === 'standard__navItemPage')
                window.location.assign(`/lightning/n/${encodeURIComponent(ref.attributes.apiName)}`);
        }

        [GenerateUrl]() {
            return Promise.resolve('#');
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
