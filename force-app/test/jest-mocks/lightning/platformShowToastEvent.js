// ShowToastEvent as in the org: a composed, bubbling `lightning__showtoast` event tests can listen for.
export const ShowToastEvent = class extends CustomEvent {
    constructor(toast) {
        super('lightning__showtoast', { composed: true, cancelable: true, bubbles: true, detail: toast });
    }
};
