import TITLE from '@salesforce/label/c.Backstory_Ops_Title';
import INTRO from '@salesforce/label/c.Backstory_Ops_Intro';
import REFRESH from '@salesforce/label/c.Backstory_Ops_Refresh';
import UPDATED from '@salesforce/label/c.Backstory_Ops_Updated';
import HEALTH_OK from '@salesforce/label/c.Backstory_Ops_Health_Ok';
import HEALTH_WARNING from '@salesforce/label/c.Backstory_Ops_Health_Warning';
import HEALTH_ERROR from '@salesforce/label/c.Backstory_Ops_Health_Error';
import HEALTH_IDLE from '@salesforce/label/c.Backstory_Ops_Health_Idle';
import CONNECTION from '@salesforce/label/c.Backstory_Ops_Connection';
import CONN_CONNECTED from '@salesforce/label/c.Backstory_Ops_Conn_Connected';
import CONN_NOT_CONNECTED from '@salesforce/label/c.Backstory_Ops_Conn_Not_Connected';
import CONN_ERROR from '@salesforce/label/c.Backstory_Ops_Conn_Error';
import CRM from '@salesforce/label/c.Backstory_Ops_Crm';
import CRM_SUMMARY from '@salesforce/label/c.Backstory_Ops_Crm_Summary';
import LAST_PULL from '@salesforce/label/c.Backstory_Ops_Last_Pull';
import NEVER from '@salesforce/label/c.Backstory_Ops_Never';
import USER_SYNC from '@salesforce/label/c.Backstory_Ops_User_Sync';
import SYNC_MANUAL from '@salesforce/label/c.Backstory_Ops_Sync_Manual';
import SYNC_NO_RUN from '@salesforce/label/c.Backstory_Ops_Sync_No_Run';
import SYNC_LAST from '@salesforce/label/c.Backstory_Ops_Sync_Last';
import SYNC_FAILED from '@salesforce/label/c.Backstory_Ops_Sync_Failed';
import WRITEBACK from '@salesforce/label/c.Backstory_Ops_Writeback';
import WB_COUNTS from '@salesforce/label/c.Backstory_Ops_Wb_Counts';
import WB_WAITING from '@salesforce/label/c.Backstory_Ops_Wb_Waiting';
import BUDGET from '@salesforce/label/c.Backstory_Ops_Budget';
import BUDGET_USED from '@salesforce/label/c.Backstory_Ops_Budget_Used';
import BUDGET_ORG from '@salesforce/label/c.Backstory_Ops_Budget_Org';
import BUDGET_UNKNOWN from '@salesforce/label/c.Backstory_Ops_Budget_Unknown';
import BUDGET_RING from '@salesforce/label/c.Backstory_Ops_Budget_Ring';
import NOTIFICATIONS from '@salesforce/label/c.Backstory_Ops_Notifications';
import NOTIF_COUNTS from '@salesforce/label/c.Backstory_Ops_Notif_Counts';
import NOTIF_LAST_ERROR from '@salesforce/label/c.Backstory_Ops_Notif_Last_Error';
import OBJECTS_TITLE from '@salesforce/label/c.Backstory_Ops_Objects_Title';
import COL_OBJECT from '@salesforce/label/c.Backstory_Ops_Col_Object';
import COL_STATE from '@salesforce/label/c.Backstory_Ops_Col_State';
import COL_LAST_PULL from '@salesforce/label/c.Backstory_Ops_Col_Last_Pull';
import COL_RECORDS from '@salesforce/label/c.Backstory_Ops_Col_Records';
import COL_MISSING from '@salesforce/label/c.Backstory_Ops_Col_Missing';
import STATE_PENDING from '@salesforce/label/c.Backstory_Ops_State_Pending';
import STATE_OK from '@salesforce/label/c.Backstory_Ops_State_Ok';
import STATE_BLOCKED from '@salesforce/label/c.Backstory_Ops_State_Blocked';
import STATE_ERROR from '@salesforce/label/c.Backstory_Ops_State_Error';
import REQUIRED from '@salesforce/label/c.Backstory_Ops_Required';
import RECOMMENDED from '@salesforce/label/c.Backstory_Ops_Recommended';
import PARKED_TITLE from '@salesforce/label/c.Backstory_Ops_Parked_Title';
import PARKED_INTRO from '@salesforce/label/c.Backstory_Ops_Parked_Intro';
import PARKED_EMPTY from '@salesforce/label/c.Backstory_Ops_Parked_Empty';
import PARKED_MORE from '@salesforce/label/c.Backstory_Ops_Parked_More';
import COL_OPERATION from '@salesforce/label/c.Backstory_Ops_Col_Operation';
import COL_CODE from '@salesforce/label/c.Backstory_Ops_Col_Code';
import COL_REASON from '@salesforce/label/c.Backstory_Ops_Col_Reason';
import COL_REMEDY from '@salesforce/label/c.Backstory_Ops_Col_Remedy';
import COL_PARKED_AT from '@salesforce/label/c.Backstory_Ops_Col_Parked_At';
import RETRY from '@salesforce/label/c.Backstory_Ops_Retry';
import RETRIED from '@salesforce/label/c.Backstory_Ops_Retried';
import AUDIT_TITLE from '@salesforce/label/c.Backstory_Ops_Audit_Title';
import AUDIT_ENTITY from '@salesforce/label/c.Backstory_Ops_Audit_Entity';
import AUDIT_ALL from '@salesforce/label/c.Backstory_Ops_Audit_All';
import AUDIT_ID from '@salesforce/label/c.Backstory_Ops_Audit_Id';
import AUDIT_ID_PLACEHOLDER from '@salesforce/label/c.Backstory_Ops_Audit_Id_Placeholder';
import AUDIT_EMPTY from '@salesforce/label/c.Backstory_Ops_Audit_Empty';
import AUDIT_BEFORE from '@salesforce/label/c.Backstory_Ops_Audit_Before';
import AUDIT_AFTER from '@salesforce/label/c.Backstory_Ops_Audit_After';
import AUDIT_NONE from '@salesforce/label/c.Backstory_Ops_Audit_None';
import AUDIT_CHANGED from '@salesforce/label/c.Backstory_Ops_Audit_Changed';
import AUDIT_BY from '@salesforce/label/c.Backstory_Ops_Audit_By';
import AUDIT_MORE from '@salesforce/label/c.Backstory_Ops_Audit_More';
import ENTITY_PROFILE from '@salesforce/label/c.Backstory_Ops_Entity_Profile';
import ENTITY_RULE from '@salesforce/label/c.Backstory_Ops_Entity_Rule';
import ENTITY_USER from '@salesforce/label/c.Backstory_Ops_Entity_User';
import ENTITY_TEAM from '@salesforce/label/c.Backstory_Ops_Entity_Team';
import ENTITY_ORG from '@salesforce/label/c.Backstory_Ops_Entity_Org';
import ENTITY_ACTIVITY from '@salesforce/label/c.Backstory_Ops_Entity_Activity';
import ENTITY_FOLLOW_UP from '@salesforce/label/c.Backstory_Ops_Entity_Follow_Up';
import ACTION_CREATE from '@salesforce/label/c.Backstory_Ops_Action_Create';
import ACTION_UPDATE from '@salesforce/label/c.Backstory_Ops_Action_Update';
import ACTION_DELETE from '@salesforce/label/c.Backstory_Ops_Action_Delete';
import { format } from 'c/adminLabels';

/** The operations page's words (custom labels, for translators). */
export const LABELS = {
    TITLE,
    INTRO,
    REFRESH,
    UPDATED,
    HEALTH_OK,
    HEALTH_WARNING,
    HEALTH_ERROR,
    HEALTH_IDLE,
    CONNECTION,
    CONN_CONNECTED,
    CONN_NOT_CONNECTED,
    CONN_ERROR,
    CRM,
    CRM_SUMMARY,
    LAST_PULL,
    NEVER,
    USER_SYNC,
    SYNC_MANUAL,
    SYNC_NO_RUN,
    SYNC_LAST,
    SYNC_FAILED,
    WRITEBACK,
    WB_COUNTS,
    WB_WAITING,
    BUDGET,
    BUDGET_USED,
    BUDGET_ORG,
    BUDGET_UNKNOWN,
    BUDGET_RING,
    NOTIFICATIONS,
    NOTIF_COUNTS,
    NOTIF_LAST_ERROR,
    OBJECTS_TITLE,
    COL_OBJECT,
    COL_STATE,
    COL_LAST_PULL,
    COL_RECORDS,
    COL_MISSING,
    STATE_PENDING,
    STATE_OK,
    STATE_BLOCKED,
    STATE_ERROR,
    REQUIRED,
    RECOMMENDED,
    PARKED_TITLE,
    PARKED_INTRO,
    PARKED_EMPTY,
    PARKED_MORE,
    COL_OPERATION,
    COL_CODE,
    COL_REASON,
    COL_REMEDY,
    COL_PARKED_AT,
    RETRY,
    RETRIED,
    AUDIT_TITLE,
    AUDIT_ENTITY,
    AUDIT_ALL,
    AUDIT_ID,
    AUDIT_ID_PLACEHOLDER,
    AUDIT_EMPTY,
    AUDIT_BEFORE,
    AUDIT_AFTER,
    AUDIT_NONE,
    AUDIT_CHANGED,
    AUDIT_BY,
    AUDIT_MORE,
    ENTITY_PROFILE,
    ENTITY_RULE,
    ENTITY_USER,
    ENTITY_TEAM,
    ENTITY_ORG,
    ENTITY_ACTIVITY,
    ENTITY_FOLLOW_UP,
    ACTION_CREATE,
    ACTION_UPDATE,
    ACTION_DELETE
};

export { format };
