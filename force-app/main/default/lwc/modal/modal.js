import { LightningElement, api } from 'lwc';

/**
 * An SLDS modal dialog: heading, content (default slot) and footer (slot "footer"), with the
 * dialog role, aria-modal and the heading as its label. Escape anywhere inside fires `close`;
 * the owner decides what closing means (cancel, keep editing) and where focus goes.
 */
export default class Modal extends LightningElement {
    /** The dialog's title, also its accessible name. */
    @api heading;
    /** 'medium' or 'large' for a wider dialog; the SLDS default otherwise. */
    @api size;
    /** Shows a spinner over the content while the owner saves or loads. */
    @api busy = false;
    /** The spinner's text for screen readers (e.g. "Saving"). */
    @api busyLabel;

    connectedCallback() {
        // On the host, so Escape from slotted fields and from the dialog itself both arrive.
        this.addEventListener('keydown', this.handleKey);
    }

    disconnectedCallback() {
        this.removeEventListener('keydown', this.handleKey);
    }

    handleKey = (event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent('close'));
    };

    /** Moves focus to the heading, so a screen reader announces the dialog. */
    @api
    focusHeading() {
        this.template.querySelector('[data-id="modal-heading"]')?.focus();
    }

    get sectionClass() {
        return `slds-modal slds-fade-in-open${this.size ? ` slds-modal_${this.size}` : ''}`;
    }

    get contentClass() {
        return `slds-modal__content slds-p-around_medium${this.busy ? ' slds-is-relative' : ''}`;
    }
}
