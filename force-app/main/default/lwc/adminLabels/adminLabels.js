import PROFILES_TITLE from '@salesforce/label/c.Backstory_Profiles_Title';
import PROFILES_INTRO from '@salesforce/label/c.Backstory_Profiles_Intro';
import PROFILES_NEW from '@salesforce/label/c.Backstory_Profiles_New';
import PROFILES_EMPTY from '@salesforce/label/c.Backstory_Profiles_Empty';
import PROFILE_NAME from '@salesforce/label/c.Backstory_Profile_Name';
import PROFILE_USERS from '@salesforce/label/c.Backstory_Profile_Users';
import PROFILE_SETTINGS from '@salesforce/label/c.Backstory_Profile_Settings';
import PROFILE_DEFAULT from '@salesforce/label/c.Backstory_Profile_Default';
import PROFILE_COPY_FROM from '@salesforce/label/c.Backstory_Profile_Copy_From';
import PROFILE_COPY_FROM_HELP from '@salesforce/label/c.Backstory_Profile_Copy_From_Help';
import PROFILE_COPY_NONE from '@salesforce/label/c.Backstory_Profile_Copy_None';
import PROFILE_CLONE from '@salesforce/label/c.Backstory_Profile_Clone';
import PROFILE_EDIT from '@salesforce/label/c.Backstory_Profile_Edit';
import PROFILE_DELETE from '@salesforce/label/c.Backstory_Profile_Delete';
import PROFILE_DELETE_TITLE from '@salesforce/label/c.Backstory_Profile_Delete_Title';
import PROFILE_DELETE_CONFIRM from '@salesforce/label/c.Backstory_Profile_Delete_Confirm';
import PROFILE_DELETE_BLOCKED from '@salesforce/label/c.Backstory_Profile_Delete_Blocked';
import PROFILE_DELETE_DEFAULT from '@salesforce/label/c.Backstory_Profile_Delete_Default';
import PROFILE_DELETED from '@salesforce/label/c.Backstory_Profile_Deleted';
import PROFILE_CREATED from '@salesforce/label/c.Backstory_Profile_Created';
import PROFILE_SAVED from '@salesforce/label/c.Backstory_Profile_Saved';
import PROFILE_NEW_TITLE from '@salesforce/label/c.Backstory_Profile_New_Title';
import PROFILE_CLONE_TITLE from '@salesforce/label/c.Backstory_Profile_Clone_Title';
import PROFILE_CLONE_NAME from '@salesforce/label/c.Backstory_Profile_Clone_Name';
import PROFILE_BACK from '@salesforce/label/c.Backstory_Profile_Back';
import TAB_ACTIVITY from '@salesforce/label/c.Backstory_Tab_Activity';
import TAB_MATCHING from '@salesforce/label/c.Backstory_Tab_Matching';
import TAB_NOTIFICATIONS from '@salesforce/label/c.Backstory_Tab_Notifications';
import SAVE from '@salesforce/label/c.Backstory_Save';
import CANCEL from '@salesforce/label/c.Backstory_Cancel';
import SAVING from '@salesforce/label/c.Backstory_Saving';
import LOADING from '@salesforce/label/c.Backstory_Loading';
import UNSAVED from '@salesforce/label/c.Backstory_Unsaved';
import DISCARD_TITLE from '@salesforce/label/c.Backstory_Discard_Title';
import DISCARD_TEXT from '@salesforce/label/c.Backstory_Discard_Text';
import DISCARD from '@salesforce/label/c.Backstory_Discard';
import KEEP_EDITING from '@salesforce/label/c.Backstory_Keep_Editing';
import TOGGLE_ON from '@salesforce/label/c.Backstory_Toggle_On';
import TOGGLE_OFF from '@salesforce/label/c.Backstory_Toggle_Off';
import ACTIVITY_INTRO from '@salesforce/label/c.Backstory_Activity_Intro';
import T_INTAKEDATA from '@salesforce/label/c.Backstory_T_intakeData';
import T_INTAKEDATA_HELP from '@salesforce/label/c.Backstory_T_intakeData_Help';
import T_TRANSCRIPTINTAKE from '@salesforce/label/c.Backstory_T_transcriptIntake';
import T_TRANSCRIPTINTAKE_HELP from '@salesforce/label/c.Backstory_T_transcriptIntake_Help';
import T_DISPLAYDATA from '@salesforce/label/c.Backstory_T_displayData';
import T_DISPLAYDATA_HELP from '@salesforce/label/c.Backstory_T_displayData_Help';
import T_PUSHDATA from '@salesforce/label/c.Backstory_T_pushData';
import T_PUSHDATA_HELP from '@salesforce/label/c.Backstory_T_pushData_Help';
import T_EMAILSYNC from '@salesforce/label/c.Backstory_T_emailSync';
import T_EMAILSYNC_HELP from '@salesforce/label/c.Backstory_T_emailSync_Help';
import T_MEETINGSYNC from '@salesforce/label/c.Backstory_T_meetingSync';
import T_MEETINGSYNC_HELP from '@salesforce/label/c.Backstory_T_meetingSync_Help';
import T_CONTACTCREATION from '@salesforce/label/c.Backstory_T_contactCreation';
import T_CONTACTCREATION_HELP from '@salesforce/label/c.Backstory_T_contactCreation_Help';
import T_CONTACTROLECREATION from '@salesforce/label/c.Backstory_T_contactRoleCreation';
import T_CONTACTROLECREATION_HELP from '@salesforce/label/c.Backstory_T_contactRoleCreation_Help';
import DEFAULT_LOCKED from '@salesforce/label/c.Backstory_Default_Locked';
import MIN_SCORE from '@salesforce/label/c.Backstory_Min_Score';
import MIN_SCORE_HELP from '@salesforce/label/c.Backstory_Min_Score_Help';
import ELIGIBILITY_TITLE from '@salesforce/label/c.Backstory_Eligibility_Title';
import ELIGIBILITY_INTRO from '@salesforce/label/c.Backstory_Eligibility_Intro';
import ELIGIBILITY_ALL from '@salesforce/label/c.Backstory_Eligibility_All';
import ELIGIBILITY_NONE from '@salesforce/label/c.Backstory_Eligibility_None';
import ELIGIBILITY_FILTERED from '@salesforce/label/c.Backstory_Eligibility_Filtered';
import ADD_GROUP from '@salesforce/label/c.Backstory_Add_Group';
import ADD_FILTER from '@salesforce/label/c.Backstory_Add_Filter';
import ADD_CONDITION from '@salesforce/label/c.Backstory_Add_Condition';
import REMOVE from '@salesforce/label/c.Backstory_Remove';
import GROUP_NAME from '@salesforce/label/c.Backstory_Group_Name';
import FIELD from '@salesforce/label/c.Backstory_Field';
import OPERATOR from '@salesforce/label/c.Backstory_Operator';
import VALUE from '@salesforce/label/c.Backstory_Value';
import VALUES_HELP from '@salesforce/label/c.Backstory_Values_Help';
import DIRECTION from '@salesforce/label/c.Backstory_Direction';
import ASCENDING from '@salesforce/label/c.Backstory_Ascending';
import DESCENDING from '@salesforce/label/c.Backstory_Descending';
import RANKING_TITLE from '@salesforce/label/c.Backstory_Ranking_Title';
import RANKING_INTRO from '@salesforce/label/c.Backstory_Ranking_Intro';
import RANKING_EMPTY from '@salesforce/label/c.Backstory_Ranking_Empty';
import RECORD_TYPE from '@salesforce/label/c.Backstory_Record_Type';
import ALL_TYPES from '@salesforce/label/c.Backstory_All_Types';
import KIND from '@salesforce/label/c.Backstory_Kind';
import KIND_SORT from '@salesforce/label/c.Backstory_Kind_Sort';
import KIND_SELECT from '@salesforce/label/c.Backstory_Kind_Select';
import MOVE_UP from '@salesforce/label/c.Backstory_Move_Up';
import MOVE_DOWN from '@salesforce/label/c.Backstory_Move_Down';
import DRAG_HELP from '@salesforce/label/c.Backstory_Drag_Help';
import PRIORITY from '@salesforce/label/c.Backstory_Priority';
import NOTIFICATIONS_INTRO from '@salesforce/label/c.Backstory_Notifications_Intro';
import CATEGORY_FIELD from '@salesforce/label/c.Backstory_Category_Field';
import CATEGORY_NONE from '@salesforce/label/c.Backstory_Category_None';
import ON_CREATED from '@salesforce/label/c.Backstory_On_Created';
import ON_COMPLETED from '@salesforce/label/c.Backstory_On_Completed';
import OWNER_ONLY from '@salesforce/label/c.Backstory_Owner_Only';
import ALL_PARTICIPANTS from '@salesforce/label/c.Backstory_All_Participants';
import QUESTIONS_TITLE from '@salesforce/label/c.Backstory_Questions_Title';
import QUESTIONS_EMPTY from '@salesforce/label/c.Backstory_Questions_Empty';
import ADD_QUESTION from '@salesforce/label/c.Backstory_Add_Question';
import QUESTION_CATEGORY from '@salesforce/label/c.Backstory_Question_Category';
import QUESTION_TEXT from '@salesforce/label/c.Backstory_Question_Text';
import QUESTION_FIELD from '@salesforce/label/c.Backstory_Question_Field';
import SIMULATE_TITLE from '@salesforce/label/c.Backstory_Simulate_Title';
import SIMULATE_INTRO from '@salesforce/label/c.Backstory_Simulate_Intro';
import SIMULATE_RUN from '@salesforce/label/c.Backstory_Simulate_Run';
import SIMULATE_RECENT from '@salesforce/label/c.Backstory_Simulate_Recent';
import SIMULATE_TYPED from '@salesforce/label/c.Backstory_Simulate_Typed';
import SIMULATE_SUBJECT from '@salesforce/label/c.Backstory_Simulate_Subject';
import SIMULATE_PARTICIPANTS from '@salesforce/label/c.Backstory_Simulate_Participants';
import SIMULATE_OWNER from '@salesforce/label/c.Backstory_Simulate_Owner';
import SIMULATE_TYPE from '@salesforce/label/c.Backstory_Simulate_Type';
import EMAIL from '@salesforce/label/c.Backstory_Email';
import MEETING from '@salesforce/label/c.Backstory_Meeting';
import SIMULATE_UNSAVED from '@salesforce/label/c.Backstory_Simulate_Unsaved';
import SIMULATE_SAVED from '@salesforce/label/c.Backstory_Simulate_Saved';
import SIMULATE_SAME from '@salesforce/label/c.Backstory_Simulate_Same';
import SIMULATE_CHANGED from '@salesforce/label/c.Backstory_Simulate_Changed';
import WHO from '@salesforce/label/c.Backstory_Who';
import WHAT from '@salesforce/label/c.Backstory_What';
import NO_MATCH from '@salesforce/label/c.Backstory_No_Match';
import CANDIDATE from '@salesforce/label/c.Backstory_Candidate';
import SCORE from '@salesforce/label/c.Backstory_Score';
import RANK from '@salesforce/label/c.Backstory_Rank';
import REASONS from '@salesforce/label/c.Backstory_Reasons';
import ELIGIBLE from '@salesforce/label/c.Backstory_Eligible';
import NOT_ELIGIBLE from '@salesforce/label/c.Backstory_Not_Eligible';
import SIMULATE_NO_RECENT from '@salesforce/label/c.Backstory_Simulate_No_Recent';
import ASSIGN_TITLE from '@salesforce/label/c.Backstory_Assign_Title';
import ASSIGN_INTRO from '@salesforce/label/c.Backstory_Assign_Intro';
import SEARCH from '@salesforce/label/c.Backstory_Search';
import FILTER_TEAM from '@salesforce/label/c.Backstory_Filter_Team';
import FILTER_PROFILE from '@salesforce/label/c.Backstory_Filter_Profile';
import FILTER_STATUS from '@salesforce/label/c.Backstory_Filter_Status';
import ANY from '@salesforce/label/c.Backstory_Any';
import ASSIGN_SELECTED from '@salesforce/label/c.Backstory_Assign_Selected';
import ASSIGN_TEAM from '@salesforce/label/c.Backstory_Assign_Team';
import ASSIGN_MODAL from '@salesforce/label/c.Backstory_Assign_Modal';
import ASSIGN_TEAM_MODAL from '@salesforce/label/c.Backstory_Assign_Team_Modal';
import ASSIGN_DONE from '@salesforce/label/c.Backstory_Assign_Done';
import USERS_EMPTY from '@salesforce/label/c.Backstory_Users_Empty';
import USER_NAME_COL from '@salesforce/label/c.Backstory_User_Name_Col';
import USER_EMAIL_COL from '@salesforce/label/c.Backstory_User_Email_Col';
import USER_TEAM_COL from '@salesforce/label/c.Backstory_User_Team_Col';
import USER_STATUS_COL from '@salesforce/label/c.Backstory_User_Status_Col';
import SELECTED from '@salesforce/label/c.Backstory_Selected';
import TEAM_MEMBERS from '@salesforce/label/c.Backstory_Team_Members';
import RULES_TITLE from '@salesforce/label/c.Backstory_Rules_Title';
import RULES_INTRO from '@salesforce/label/c.Backstory_Rules_Intro';
import RULES_MANUAL from '@salesforce/label/c.Backstory_Rules_Manual';
import ADD_RULE from '@salesforce/label/c.Backstory_Add_Rule';
import SAVE_RULES from '@salesforce/label/c.Backstory_Save_Rules';
import RULES_SAVED from '@salesforce/label/c.Backstory_Rules_Saved';
import RULE_NAME from '@salesforce/label/c.Backstory_Rule_Name';
import RULE_DESCRIPTION from '@salesforce/label/c.Backstory_Rule_Description';
import RULE_FILTERS from '@salesforce/label/c.Backstory_Rule_Filters';
import RULE_ASSIGNMENTS from '@salesforce/label/c.Backstory_Rule_Assignments';
import RULE_CATCH_ALL from '@salesforce/label/c.Backstory_Rule_Catch_All';
import RULE_CATCH_ALL_HELP from '@salesforce/label/c.Backstory_Rule_Catch_All_Help';
import DELETE_RULE from '@salesforce/label/c.Backstory_Delete_Rule';
import CLEAR_FILTERS from '@salesforce/label/c.Backstory_Clear_Filters';
import RULE_NO_FILTERS from '@salesforce/label/c.Backstory_Rule_No_Filters';
import F_TEAM_NAME from '@salesforce/label/c.Backstory_F_team_name';
import F_TEAM_MANAGER from '@salesforce/label/c.Backstory_F_team_manager';
import F_JOB_TITLE from '@salesforce/label/c.Backstory_F_job_title';
import OP_EQUALS from '@salesforce/label/c.Backstory_Op_equals';
import OP_NOT_EQUALS from '@salesforce/label/c.Backstory_Op_not_equals';
import OP_IN from '@salesforce/label/c.Backstory_Op_in';
import OP_NOT_IN from '@salesforce/label/c.Backstory_Op_not_in';
import OP_CONTAINS from '@salesforce/label/c.Backstory_Op_contains';
import OP_STARTS_WITH from '@salesforce/label/c.Backstory_Op_starts_with';
import OP_GREATER_THAN from '@salesforce/label/c.Backstory_Op_greater_than';
import OP_LESS_THAN from '@salesforce/label/c.Backstory_Op_less_than';
import OP_IS_NULL from '@salesforce/label/c.Backstory_Op_is_null';
import OP_IS_NOT_NULL from '@salesforce/label/c.Backstory_Op_is_not_null';
import CONTAINS_ONE from '@salesforce/label/c.Backstory_Contains_One';
import PERMISSION from '@salesforce/label/c.Backstory_Permission';
import VISIBILITY from '@salesforce/label/c.Backstory_Visibility';
import LICENSES from '@salesforce/label/c.Backstory_Licenses';
import ROLE_ADMIN from '@salesforce/label/c.Backstory_Role_admin';
import ROLE_MANAGER from '@salesforce/label/c.Backstory_Role_manager';
import ROLE_MEMBER from '@salesforce/label/c.Backstory_Role_member';
import VIS_FULL from '@salesforce/label/c.Backstory_Vis_full';
import VIS_TEAM from '@salesforce/label/c.Backstory_Vis_team';
import VIS_INDIVIDUAL from '@salesforce/label/c.Backstory_Vis_individual';
import LIC_FOUNDATION from '@salesforce/label/c.Backstory_Lic_foundation';
import LIC_ENGAGEMENT_DASHBOARD from '@salesforce/label/c.Backstory_Lic_engagement_dashboard';
import LIC_FORECASTING from '@salesforce/label/c.Backstory_Lic_forecasting';
import LIC_UNIFIED_ENTERPRISE from '@salesforce/label/c.Backstory_Lic_unified_enterprise';
import WHAT_IF from '@salesforce/label/c.Backstory_What_If';
import WHAT_IF_INTRO from '@salesforce/label/c.Backstory_What_If_Intro';
import EVALUATE from '@salesforce/label/c.Backstory_Evaluate';
import WHAT_IF_RESULT from '@salesforce/label/c.Backstory_What_If_Result';
import PREVIEW_ALL from '@salesforce/label/c.Backstory_Preview_All';
import PREVIEW_ALL_INTRO from '@salesforce/label/c.Backstory_Preview_All_Intro';
import RULE_USERS from '@salesforce/label/c.Backstory_Rule_Users';
import RULES_UNSAVED from '@salesforce/label/c.Backstory_Rules_Unsaved';
import MOVE_RULE_HINT from '@salesforce/label/c.Backstory_Move_Rule_Hint';
import RULE_EDIT_TITLE from '@salesforce/label/c.Backstory_Rule_Edit_Title';
import RULE_NEW_TITLE from '@salesforce/label/c.Backstory_Rule_New_Title';
import DONE from '@salesforce/label/c.Backstory_Done';
import AUDIT_TITLE from '@salesforce/label/c.Backstory_Audit_Title';
import LOAD_MORE from '@salesforce/label/c.Backstory_Load_More';
import RULE_VALUE_HELP_IN from '@salesforce/label/c.Backstory_Rule_Value_Help_In';
import RULE_NEEDS_NAME from '@salesforce/label/c.Backstory_Rule_Needs_Name';
import RULE_NEEDS_VALUE from '@salesforce/label/c.Backstory_Rule_Needs_Value';
import RULE_FILTERS_SUMMARY from '@salesforce/label/c.Backstory_Rule_Filters_Summary';
import RULE_ASSIGN_SUMMARY from '@salesforce/label/c.Backstory_Rule_Assign_Summary';
import RULE_PREVIEW_USERS from '@salesforce/label/c.Backstory_Rule_Preview_Users';
import RULE_EXISTING from '@salesforce/label/c.Backstory_Rule_Existing';
import RULE_UNSAVED_NOTE from '@salesforce/label/c.Backstory_Rule_Unsaved_Note';
import RULES_EMPTY from '@salesforce/label/c.Backstory_Rules_Empty';
import RULE_CATCH_ALL_WHEN from '@salesforce/label/c.Backstory_Rule_Catch_All_When';

/**
 * The admin console's words (custom labels, for translators), shared by configurationProfiles,
 * profileEditor and its parts, profileAssignment and userSettingsRules.
 */
export const LABELS = {
    PROFILES_TITLE,
    PROFILES_INTRO,
    PROFILES_NEW,
    PROFILES_EMPTY,
    PROFILE_NAME,
    PROFILE_USERS,
    PROFILE_SETTINGS,
    PROFILE_DEFAULT,
    PROFILE_COPY_FROM,
    PROFILE_COPY_FROM_HELP,
    PROFILE_COPY_NONE,
    PROFILE_CLONE,
    PROFILE_EDIT,
    PROFILE_DELETE,
    PROFILE_DELETE_TITLE,
    PROFILE_DELETE_CONFIRM,
    PROFILE_DELETE_BLOCKED,
    PROFILE_DELETE_DEFAULT,
    PROFILE_DELETED,
    PROFILE_CREATED,
    PROFILE_SAVED,
    PROFILE_NEW_TITLE,
    PROFILE_CLONE_TITLE,
    PROFILE_CLONE_NAME,
    PROFILE_BACK,
    TAB_ACTIVITY,
    TAB_MATCHING,
    TAB_NOTIFICATIONS,
    SAVE,
    CANCEL,
    SAVING,
    LOADING,
    UNSAVED,
    DISCARD_TITLE,
    DISCARD_TEXT,
    DISCARD,
    KEEP_EDITING,
    TOGGLE_ON,
    TOGGLE_OFF,
    ACTIVITY_INTRO,
    T_INTAKEDATA,
    T_INTAKEDATA_HELP,
    T_TRANSCRIPTINTAKE,
    T_TRANSCRIPTINTAKE_HELP,
    T_DISPLAYDATA,
    T_DISPLAYDATA_HELP,
    T_PUSHDATA,
    T_PUSHDATA_HELP,
    T_EMAILSYNC,
    T_EMAILSYNC_HELP,
    T_MEETINGSYNC,
    T_MEETINGSYNC_HELP,
    T_CONTACTCREATION,
    T_CONTACTCREATION_HELP,
    T_CONTACTROLECREATION,
    T_CONTACTROLECREATION_HELP,
    DEFAULT_LOCKED,
    MIN_SCORE,
    MIN_SCORE_HELP,
    ELIGIBILITY_TITLE,
    ELIGIBILITY_INTRO,
    ELIGIBILITY_ALL,
    ELIGIBILITY_NONE,
    ELIGIBILITY_FILTERED,
    ADD_GROUP,
    ADD_FILTER,
    ADD_CONDITION,
    REMOVE,
    GROUP_NAME,
    FIELD,
    OPERATOR,
    VALUE,
    VALUES_HELP,
    DIRECTION,
    ASCENDING,
    DESCENDING,
    RANKING_TITLE,
    RANKING_INTRO,
    RANKING_EMPTY,
    RECORD_TYPE,
    ALL_TYPES,
    KIND,
    KIND_SORT,
    KIND_SELECT,
    MOVE_UP,
    MOVE_DOWN,
    DRAG_HELP,
    PRIORITY,
    NOTIFICATIONS_INTRO,
    CATEGORY_FIELD,
    CATEGORY_NONE,
    ON_CREATED,
    ON_COMPLETED,
    OWNER_ONLY,
    ALL_PARTICIPANTS,
    QUESTIONS_TITLE,
    QUESTIONS_EMPTY,
    ADD_QUESTION,
    QUESTION_CATEGORY,
    QUESTION_TEXT,
    QUESTION_FIELD,
    SIMULATE_TITLE,
    SIMULATE_INTRO,
    SIMULATE_RUN,
    SIMULATE_RECENT,
    SIMULATE_TYPED,
    SIMULATE_SUBJECT,
    SIMULATE_PARTICIPANTS,
    SIMULATE_OWNER,
    SIMULATE_TYPE,
    EMAIL,
    MEETING,
    SIMULATE_UNSAVED,
    SIMULATE_SAVED,
    SIMULATE_SAME,
    SIMULATE_CHANGED,
    WHO,
    WHAT,
    NO_MATCH,
    CANDIDATE,
    SCORE,
    RANK,
    REASONS,
    ELIGIBLE,
    NOT_ELIGIBLE,
    SIMULATE_NO_RECENT,
    ASSIGN_TITLE,
    ASSIGN_INTRO,
    SEARCH,
    FILTER_TEAM,
    FILTER_PROFILE,
    FILTER_STATUS,
    ANY,
    ASSIGN_SELECTED,
    ASSIGN_TEAM,
    ASSIGN_MODAL,
    ASSIGN_TEAM_MODAL,
    ASSIGN_DONE,
    USERS_EMPTY,
    USER_NAME_COL,
    USER_EMAIL_COL,
    USER_TEAM_COL,
    USER_STATUS_COL,
    SELECTED,
    TEAM_MEMBERS,
    RULES_TITLE,
    RULES_INTRO,
    RULES_MANUAL,
    ADD_RULE,
    SAVE_RULES,
    RULES_SAVED,
    RULE_NAME,
    RULE_DESCRIPTION,
    RULE_FILTERS,
    RULE_ASSIGNMENTS,
    RULE_CATCH_ALL,
    RULE_CATCH_ALL_HELP,
    DELETE_RULE,
    CLEAR_FILTERS,
    RULE_NO_FILTERS,
    F_TEAM_NAME,
    F_TEAM_MANAGER,
    F_JOB_TITLE,
    OP_EQUALS,
    OP_NOT_EQUALS,
    OP_IN,
    OP_NOT_IN,
    OP_CONTAINS,
    OP_STARTS_WITH,
    OP_GREATER_THAN,
    OP_LESS_THAN,
    OP_IS_NULL,
    OP_IS_NOT_NULL,
    CONTAINS_ONE,
    PERMISSION,
    VISIBILITY,
    LICENSES,
    ROLE_ADMIN,
    ROLE_MANAGER,
    ROLE_MEMBER,
    VIS_FULL,
    VIS_TEAM,
    VIS_INDIVIDUAL,
    LIC_FOUNDATION,
    LIC_ENGAGEMENT_DASHBOARD,
    LIC_FORECASTING,
    LIC_UNIFIED_ENTERPRISE,
    WHAT_IF,
    WHAT_IF_INTRO,
    EVALUATE,
    WHAT_IF_RESULT,
    PREVIEW_ALL,
    PREVIEW_ALL_INTRO,
    RULE_USERS,
    RULES_UNSAVED,
    MOVE_RULE_HINT,
    RULE_EDIT_TITLE,
    RULE_NEW_TITLE,
    DONE,
    AUDIT_TITLE,
    LOAD_MORE,
    RULE_VALUE_HELP_IN,
    RULE_NEEDS_NAME,
    RULE_NEEDS_VALUE,
    RULE_FILTERS_SUMMARY,
    RULE_ASSIGN_SUMMARY,
    RULE_PREVIEW_USERS,
    RULE_EXISTING,
    RULE_UNSAVED_NOTE,
    RULES_EMPTY,
    RULE_CATCH_ALL_WHEN
};

/** `{0}`-style placeholders, as custom labels carry them. */
export function format(label, ...values) {
    return String(label).replace(/\{(\d+)\}/g, (match, index) => {
        return values[index] === undefined ? match : String(values[index]);
    });
}
