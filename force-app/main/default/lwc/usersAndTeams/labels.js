// The custom labels of the Users and Teams screen (seed 001, UT-1..15), in one place.
import TITLE from '@salesforce/label/c.Backstory_UT_Title';
import MANAGE_MODE from '@salesforce/label/c.Backstory_UT_Manage_Mode';
import MODE_MANUAL from '@salesforce/label/c.Backstory_UT_Mode_Manual';
import MODE_AUTOMATIC from '@salesforce/label/c.Backstory_UT_Mode_Automatic';
import MODE_HELP_MANUAL from '@salesforce/label/c.Backstory_UT_Mode_Help_Manual';
import MODE_HELP_AUTOMATIC from '@salesforce/label/c.Backstory_UT_Mode_Help_Automatic';
import ENABLE_AUTOMATIC from '@salesforce/label/c.Backstory_UT_Enable_Automatic';
import SWITCH_TO_MANUAL from '@salesforce/label/c.Backstory_UT_Switch_To_Manual';
import ENABLE_AUTOMATIC_TITLE from '@salesforce/label/c.Backstory_UT_Enable_Automatic_Title';
import SWITCH_TO_MANUAL_TITLE from '@salesforce/label/c.Backstory_UT_Switch_To_Manual_Title';
import WHAT_CHANGES from '@salesforce/label/c.Backstory_UT_What_Changes';
import TO_AUTO_TEAMS from '@salesforce/label/c.Backstory_UT_To_Auto_Teams';
import TO_AUTO_SAVED_VIEWS from '@salesforce/label/c.Backstory_UT_To_Auto_Saved_Views';
import TO_AUTO_TOP_LEVEL from '@salesforce/label/c.Backstory_UT_To_Auto_Top_Level';
import TO_AUTO_READ_ONLY from '@salesforce/label/c.Backstory_UT_To_Auto_Read_Only';
import TO_AUTO_ONBOARDING from '@salesforce/label/c.Backstory_UT_To_Auto_Onboarding';
import TO_AUTO_NEEDS from '@salesforce/label/c.Backstory_UT_To_Auto_Needs';
import TO_MANUAL_STOPS from '@salesforce/label/c.Backstory_UT_To_Manual_Stops';
import TO_MANUAL_STAYS from '@salesforce/label/c.Backstory_UT_To_Manual_Stays';
import TO_MANUAL_TOOLS from '@salesforce/label/c.Backstory_UT_To_Manual_Tools';
import TO_MANUAL_SAVED_VIEWS from '@salesforce/label/c.Backstory_UT_To_Manual_Saved_Views';
import SYNC_NOW from '@salesforce/label/c.Backstory_UT_Sync_Now';
import NOT_SYNCED from '@salesforce/label/c.Backstory_UT_Not_Synced';
import IMPORT_ROLES from '@salesforce/label/c.Backstory_UT_Import_Roles';
import IMPORT_CSV from '@salesforce/label/c.Backstory_UT_Import_CSV';
import EXPORT_CSV from '@salesforce/label/c.Backstory_UT_Export_CSV';
import ADD_USER from '@salesforce/label/c.Backstory_UT_Add_User';
import EDIT_USER from '@salesforce/label/c.Backstory_UT_Edit_User';
import STATUSES from '@salesforce/label/c.Backstory_UT_Statuses';
import PENDING from '@salesforce/label/c.Backstory_UT_Pending';
import ONBOARDING from '@salesforce/label/c.Backstory_UT_Onboarding';
import PERMISSION_ERRORS from '@salesforce/label/c.Backstory_UT_Permission_Errors';
import PERMISSION_ERROR from '@salesforce/label/c.Backstory_UT_Permission_Error';
import ACTIVE from '@salesforce/label/c.Backstory_UT_Active';
import SUSPENDED from '@salesforce/label/c.Backstory_UT_Suspended';
import TOTAL from '@salesforce/label/c.Backstory_UT_Total';
import TEAMS from '@salesforce/label/c.Backstory_UT_Teams';
import TEAM_HIERARCHY from '@salesforce/label/c.Backstory_UT_Team_Hierarchy';
import ADD_TEAM from '@salesforce/label/c.Backstory_UT_Add_Team';
import NO_TEAMS from '@salesforce/label/c.Backstory_UT_No_Teams';
import CUSTOM_TEAMS from '@salesforce/label/c.Backstory_UT_Custom_Teams';
import ADD_CUSTOM_TEAM from '@salesforce/label/c.Backstory_UT_Add_Custom_Team';
import NO_CUSTOM_TEAMS from '@salesforce/label/c.Backstory_UT_No_Custom_Teams';
import EDIT from '@salesforce/label/c.Backstory_UT_Edit';
import EDIT_TEAM_HELP from '@salesforce/label/c.Backstory_UT_Edit_Team_Help';
import MEMBERS from '@salesforce/label/c.Backstory_UT_Members';
import DELETE from '@salesforce/label/c.Backstory_UT_Delete';
import SHOW_ALL_TEAMS from '@salesforce/label/c.Backstory_UT_Show_All_Teams';
import USERS from '@salesforce/label/c.Backstory_UT_Users';
import SEARCH_USERS from '@salesforce/label/c.Backstory_UT_Search_Users';
import SEARCH_PLACEHOLDER from '@salesforce/label/c.Backstory_UT_Search_Placeholder';
import TEAM from '@salesforce/label/c.Backstory_UT_Team';
import STATUS from '@salesforce/label/c.Backstory_UT_Status';
import ALL_TEAMS from '@salesforce/label/c.Backstory_UT_All_Teams';
import ALL_STATUSES from '@salesforce/label/c.Backstory_UT_All_Statuses';
import LOAD_MORE from '@salesforce/label/c.Backstory_UT_Load_More';
import NO_MATCH from '@salesforce/label/c.Backstory_UT_No_Match';
import NO_USERS from '@salesforce/label/c.Backstory_UT_No_Users';
import NAME from '@salesforce/label/c.Backstory_UT_Name';
import EMAIL from '@salesforce/label/c.Backstory_UT_Email';
import ROLE from '@salesforce/label/c.Backstory_UT_Role';
import PROFILE from '@salesforce/label/c.Backstory_UT_Profile';
import FIRST_NAME from '@salesforce/label/c.Backstory_UT_First_Name';
import LAST_NAME from '@salesforce/label/c.Backstory_UT_Last_Name';
import JOB_TITLE from '@salesforce/label/c.Backstory_UT_Job_Title';
import VISIBILITY from '@salesforce/label/c.Backstory_UT_Visibility';
import CONFIGURATION_PROFILE from '@salesforce/label/c.Backstory_UT_Configuration_Profile';
import NO_TEAM from '@salesforce/label/c.Backstory_UT_No_Team';
import UNASSIGNED from '@salesforce/label/c.Backstory_UT_Unassigned';
import LOCKED_SYNCED from '@salesforce/label/c.Backstory_UT_Locked_Synced';
import LOCKED_MANUAL_USER from '@salesforce/label/c.Backstory_UT_Locked_Manual_User';
import SUSPEND from '@salesforce/label/c.Backstory_UT_Suspend';
import REACTIVATE from '@salesforce/label/c.Backstory_UT_Reactivate';
import SUSPEND_TITLE from '@salesforce/label/c.Backstory_UT_Suspend_Title';
import SUSPEND_MESSAGE from '@salesforce/label/c.Backstory_UT_Suspend_Message';
import REACTIVATE_TITLE from '@salesforce/label/c.Backstory_UT_Reactivate_Title';
import REACTIVATE_MESSAGE from '@salesforce/label/c.Backstory_UT_Reactivate_Message';
import DELETE_USER_TITLE from '@salesforce/label/c.Backstory_UT_Delete_User_Title';
import DELETE_USER_MESSAGE from '@salesforce/label/c.Backstory_UT_Delete_User_Message';
import TEAM_NAME from '@salesforce/label/c.Backstory_UT_Team_Name';
import PARENT_TEAM from '@salesforce/label/c.Backstory_UT_Parent_Team';
import PARENT_TEAM_HELP from '@salesforce/label/c.Backstory_UT_Parent_Team_Help';
import NO_PARENT from '@salesforce/label/c.Backstory_UT_No_Parent';
import CUSTOM_TEAM_HELP from '@salesforce/label/c.Backstory_UT_Custom_Team_Help';
import EDIT_TEAM_TITLE from '@salesforce/label/c.Backstory_UT_Edit_Team_Title';
import MEMBERS_TITLE from '@salesforce/label/c.Backstory_UT_Members_Title';
import IN_THIS_TEAM from '@salesforce/label/c.Backstory_UT_In_This_Team';
import DELETE_TEAM_TITLE from '@salesforce/label/c.Backstory_UT_Delete_Team_Title';
import DELETE_CUSTOM_TEAM_MESSAGE from '@salesforce/label/c.Backstory_UT_Delete_Custom_Team_Message';
import DELETE_TEAM_MESSAGE from '@salesforce/label/c.Backstory_UT_Delete_Team_Message';
import IMPORT_TITLE from '@salesforce/label/c.Backstory_UT_Import_Title';
import IMPORT_COLUMNS from '@salesforce/label/c.Backstory_UT_Import_Columns';
import CSV_FILE from '@salesforce/label/c.Backstory_UT_CSV_File';
import STEP_CHOOSE from '@salesforce/label/c.Backstory_UT_Step_Choose';
import STEP_CHECK from '@salesforce/label/c.Backstory_UT_Step_Check';
import STEP_REVIEW from '@salesforce/label/c.Backstory_UT_Step_Review';
import STEP_IMPORT from '@salesforce/label/c.Backstory_UT_Step_Import';
import STEP_DONE from '@salesforce/label/c.Backstory_UT_Step_Done';
import STEP_OF from '@salesforce/label/c.Backstory_UT_Step_Of';
import ERRORS_CAPTION from '@salesforce/label/c.Backstory_UT_Errors_Caption';
import LINE from '@salesforce/label/c.Backstory_UT_Line';
import COLUMN from '@salesforce/label/c.Backstory_UT_Column';
import PROBLEM from '@salesforce/label/c.Backstory_UT_Problem';
import ROLES_TITLE from '@salesforce/label/c.Backstory_UT_Roles_Title';
import ROLES_HELP from '@salesforce/label/c.Backstory_UT_Roles_Help';
import SALESFORCE_ROLES from '@salesforce/label/c.Backstory_UT_Salesforce_Roles';
import IMPORT_SELECTED_ROLES from '@salesforce/label/c.Backstory_UT_Import_Selected_Roles';
import CANCEL from '@salesforce/label/c.Backstory_UT_Cancel';
import SAVE from '@salesforce/label/c.Backstory_UT_Save';
import WORKING from '@salesforce/label/c.Backstory_UT_Working';
import LOADING from '@salesforce/label/c.Backstory_UT_Loading';

export const LABELS = {
    TITLE,
    MANAGE_MODE,
    MODE_MANUAL,
    MODE_AUTOMATIC,
    MODE_HELP_MANUAL,
    MODE_HELP_AUTOMATIC,
    ENABLE_AUTOMATIC,
    SWITCH_TO_MANUAL,
    ENABLE_AUTOMATIC_TITLE,
    SWITCH_TO_MANUAL_TITLE,
    WHAT_CHANGES,
    TO_AUTO_TEAMS,
    TO_AUTO_SAVED_VIEWS,
    TO_AUTO_TOP_LEVEL,
    TO_AUTO_READ_ONLY,
    TO_AUTO_ONBOARDING,
    TO_AUTO_NEEDS,
    TO_MANUAL_STOPS,
    TO_MANUAL_STAYS,
    TO_MANUAL_TOOLS,
    TO_MANUAL_SAVED_VIEWS,
    SYNC_NOW,
    NOT_SYNCED,
    IMPORT_ROLES,
    IMPORT_CSV,
    EXPORT_CSV,
    ADD_USER,
    EDIT_USER,
    STATUSES,
    PENDING,
    ONBOARDING,
    PERMISSION_ERRORS,
    PERMISSION_ERROR,
    ACTIVE,
    SUSPENDED,
    TOTAL,
    TEAMS,
    TEAM_HIERARCHY,
    ADD_TEAM,
    NO_TEAMS,
    CUSTOM_TEAMS,
    ADD_CUSTOM_TEAM,
    NO_CUSTOM_TEAMS,
    EDIT,
    EDIT_TEAM_HELP,
    MEMBERS,
    DELETE,
    SHOW_ALL_TEAMS,
    USERS,
    SEARCH_USERS,
    SEARCH_PLACEHOLDER,
    TEAM,
    STATUS,
    ALL_TEAMS,
    ALL_STATUSES,
    LOAD_MORE,
    NO_MATCH,
    NO_USERS,
    NAME,
    EMAIL,
    ROLE,
    PROFILE,
    FIRST_NAME,
    LAST_NAME,
    JOB_TITLE,
    VISIBILITY,
    CONFIGURATION_PROFILE,
    NO_TEAM,
    UNASSIGNED,
    LOCKED_SYNCED,
    LOCKED_MANUAL_USER,
    SUSPEND,
    REACTIVATE,
    SUSPEND_TITLE,
    SUSPEND_MESSAGE,
    REACTIVATE_TITLE,
    REACTIVATE_MESSAGE,
    DELETE_USER_TITLE,
    DELETE_USER_MESSAGE,
    TEAM_NAME,
    PARENT_TEAM,
    PARENT_TEAM_HELP,
    NO_PARENT,
    CUSTOM_TEAM_HELP,
    EDIT_TEAM_TITLE,
    MEMBERS_TITLE,
    IN_THIS_TEAM,
    DELETE_TEAM_TITLE,
    DELETE_CUSTOM_TEAM_MESSAGE,
    DELETE_TEAM_MESSAGE,
    IMPORT_TITLE,
    IMPORT_COLUMNS,
    CSV_FILE,
    STEP_CHOOSE,
    STEP_CHECK,
    STEP_REVIEW,
    STEP_IMPORT,
    STEP_DONE,
    STEP_OF,
    ERRORS_CAPTION,
    LINE,
    COLUMN,
    PROBLEM,
    ROLES_TITLE,
    ROLES_HELP,
    SALESFORCE_ROLES,
    IMPORT_SELECTED_ROLES,
    CANCEL,
    SAVE,
    WORKING,
    LOADING
};

/** `{0}`-style placeholders, as custom labels carry them. */
export function format(label, ...values) {
    return String(label).replace(/\{(\d+)\}/g, (match, index) => {
        return values[index] === undefined ? match : String(values[index]);
    });
}
