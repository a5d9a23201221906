// The custom labels of the rep components (followUpQuestions, activityPanel), in one place.
import BACKSTORY_FOLLOW_UPS_TITLE from '@salesforce/label/c.Backstory_Follow_Ups_Title';
import BACKSTORY_FOLLOW_UPS_LOADING from '@salesforce/label/c.Backstory_Follow_Ups_Loading';
import BACKSTORY_FOLLOW_UPS_EMPTY from '@salesforce/label/c.Backstory_Follow_Ups_Empty';
import BACKSTORY_FOLLOW_UP_NONE_FOR_MEETING from '@salesforce/label/c.Backstory_Follow_Up_None_For_Meeting';
import BACKSTORY_ANSWER from '@salesforce/label/c.Backstory_Answer';
import BACKSTORY_ANSWER_MEETING from '@salesforce/label/c.Backstory_Answer_Meeting';
import BACKSTORY_MEETING_CATEGORY from '@salesforce/label/c.Backstory_Meeting_Category';
import BACKSTORY_CHOOSE_CATEGORY from '@salesforce/label/c.Backstory_Choose_Category';
import BACKSTORY_NO_QUESTIONS from '@salesforce/label/c.Backstory_No_Questions';
import BACKSTORY_SAVE from '@salesforce/label/c.Backstory_Save';
import BACKSTORY_CANCEL from '@salesforce/label/c.Backstory_Cancel';
import BACKSTORY_ANSWERS_SAVED from '@salesforce/label/c.Backstory_Answers_Saved';
import BACKSTORY_ANSWERS_SAVED_DETAIL from '@salesforce/label/c.Backstory_Answers_Saved_Detail';
import BACKSTORY_ANSWERS_SAVED_PENDING from '@salesforce/label/c.Backstory_Answers_Saved_Pending';
import BACKSTORY_CHARACTERS_USED from '@salesforce/label/c.Backstory_Characters_Used';
import BACKSTORY_ALL_FOLLOW_UPS from '@salesforce/label/c.Backstory_All_Follow_Ups';
import BACKSTORY_ANSWERED from '@salesforce/label/c.Backstory_Answered';
import BACKSTORY_OPEN from '@salesforce/label/c.Backstory_Open';
import BACKSTORY_FIX_ANSWERS from '@salesforce/label/c.Backstory_Fix_Answers';
import BACKSTORY_ACTIVITY_TITLE from '@salesforce/label/c.Backstory_Activity_Title';
import BACKSTORY_ACTIVITY_LOADING from '@salesforce/label/c.Backstory_Activity_Loading';
import BACKSTORY_ACTIVITY_EMPTY from '@salesforce/label/c.Backstory_Activity_Empty';
import BACKSTORY_WHY_MATCH from '@salesforce/label/c.Backstory_Why_Match';
import BACKSTORY_EDIT_MATCH from '@salesforce/label/c.Backstory_Edit_Match';
import BACKSTORY_SYNC_WRITTEN from '@salesforce/label/c.Backstory_Sync_Written';
import BACKSTORY_SYNC_PENDING from '@salesforce/label/c.Backstory_Sync_Pending';
import BACKSTORY_SYNC_PARKED from '@salesforce/label/c.Backstory_Sync_Parked';
import BACKSTORY_SYNC_SKIPPED from '@salesforce/label/c.Backstory_Sync_Skipped';
import BACKSTORY_SYNC_NOT_SYNCED from '@salesforce/label/c.Backstory_Sync_Not_Synced';
import BACKSTORY_MANUAL_MATCH from '@salesforce/label/c.Backstory_Manual_Match';
import BACKSTORY_NAME_FIELD from '@salesforce/label/c.Backstory_Name_Field';
import BACKSTORY_RELATED_TO from '@salesforce/label/c.Backstory_Related_To';
import BACKSTORY_NONE from '@salesforce/label/c.Backstory_None';
import BACKSTORY_CANDIDATES from '@salesforce/label/c.Backstory_Candidates';
import BACKSTORY_SEARCH_RECORDS from '@salesforce/label/c.Backstory_Search_Records';
import BACKSTORY_NO_RESULTS from '@salesforce/label/c.Backstory_No_Results';
import BACKSTORY_USE_AS_NAME from '@salesforce/label/c.Backstory_Use_As_Name';
import BACKSTORY_USE_AS_RELATED from '@salesforce/label/c.Backstory_Use_As_Related';
import BACKSTORY_MATCH_SAVED from '@salesforce/label/c.Backstory_Match_Saved';
import BACKSTORY_SCORE from '@salesforce/label/c.Backstory_Score';
import BACKSTORY_NOT_ELIGIBLE from '@salesforce/label/c.Backstory_Not_Eligible';
import BACKSTORY_POINTS from '@salesforce/label/c.Backstory_Points';
import BACKSTORY_CLOSE from '@salesforce/label/c.Backstory_Close';
import BACKSTORY_CLEAR from '@salesforce/label/c.Backstory_Clear';
import BACKSTORY_LEAD_NO_RELATED from '@salesforce/label/c.Backstory_Lead_No_Related';

export const LABELS = {
    followUpsTitle: BACKSTORY_FOLLOW_UPS_TITLE,
    followUpsLoading: BACKSTORY_FOLLOW_UPS_LOADING,
    followUpsEmpty: BACKSTORY_FOLLOW_UPS_EMPTY,
    followUpNoneForMeeting: BACKSTORY_FOLLOW_UP_NONE_FOR_MEETING,
    answer: BACKSTORY_ANSWER,
    answerMeeting: BACKSTORY_ANSWER_MEETING,
    meetingCategory: BACKSTORY_MEETING_CATEGORY,
    chooseCategory: BACKSTORY_CHOOSE_CATEGORY,
    noQuestions: BACKSTORY_NO_QUESTIONS,
    save: BACKSTORY_SAVE,
    cancel: BACKSTORY_CANCEL,
    answersSaved: BACKSTORY_ANSWERS_SAVED,
    answersSavedDetail: BACKSTORY_ANSWERS_SAVED_DETAIL,
    answersSavedPending: BACKSTORY_ANSWERS_SAVED_PENDING,
    charactersUsed: BACKSTORY_CHARACTERS_USED,
    allFollowUps: BACKSTORY_ALL_FOLLOW_UPS,
    answered: BACKSTORY_ANSWERED,
    open: BACKSTORY_OPEN,
    fixAnswers: BACKSTORY_FIX_ANSWERS,
    activityTitle: BACKSTORY_ACTIVITY_TITLE,
    activityLoading: BACKSTORY_ACTIVITY_LOADING,
    activityEmpty: BACKSTORY_ACTIVITY_EMPTY,
    whyMatch: BACKSTORY_WHY_MATCH,
    editMatch: BACKSTORY_EDIT_MATCH,
    syncWritten: BACKSTORY_SYNC_WRITTEN,
    syncPending: BACKSTORY_SYNC_PENDING,
    syncParked: BACKSTORY_SYNC_PARKED,
    syncSkipped: BACKSTORY_SYNC_SKIPPED,
    syncNotSynced: BACKSTORY_SYNC_NOT_SYNCED,
    manualMatch: BACKSTORY_MANUAL_MATCH,
    nameField: BACKSTORY_NAME_FIELD,
    relatedTo: BACKSTORY_RELATED_TO,
    none: BACKSTORY_NONE,
    candidates: BACKSTORY_CANDIDATES,
    searchRecords: BACKSTORY_SEARCH_RECORDS,
    noResults: BACKSTORY_NO_RESULTS,
    useAsName: BACKSTORY_USE_AS_NAME,
    useAsRelated: BACKSTORY_USE_AS_RELATED,
    matchSaved: BACKSTORY_MATCH_SAVED,
    score: BACKSTORY_SCORE,
    notEligible: BACKSTORY_NOT_ELIGIBLE,
    points: BACKSTORY_POINTS,
    close: BACKSTORY_CLOSE,
    clear: BACKSTORY_CLEAR,
    leadNoRelated: BACKSTORY_LEAD_NO_RELATED
};

/** Fill `{0}`, `{1}`… of a label. */
export function format(label, ...args) {
    return String(label).replace(/\{(\d+)\}/g, (m, i) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}
