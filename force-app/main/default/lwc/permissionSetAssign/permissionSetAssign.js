import { LightningElement, api } from 'lwc';
import ASSIGN_PERMISSION_SET from '@salesforce/label/c.Backstory_Assign_Permission_Set';
import ASSIGNING from '@salesforce/label/c.Backstory_Assigning';

/**
 * The wizard's one-click fix (PERM-8), shown on the permission-set step and on the summary: what is
 * missing, the Assign button, a spinner while Salesforce assigns, and the refusal in words. Clicking
 * fires `assign`; the wizard runs the Apex and passes back `busy` and `errorText`.
 */
export default class PermissionSetAssign extends LightningElement {
    /** What is missing, naming the integration user and the permission set. */
    @api help;
    /** True while the assignment runs: the button is disabled and a spinner shows. */
    @api busy = false;
    /** Why Salesforce refused, in an admin's words; empty when nothing failed. */
    @api errorText;

    labels = { ASSIGN_PERMISSION_SET, ASSIGNING };

    handleClick() {
        this.dispatchEvent(new CustomEvent('assign'));
    }
}
