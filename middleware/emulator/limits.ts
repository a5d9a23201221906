import type { EmulatorState } from './state';

/**
 * The `/limits` keys of a real Enterprise Edition org (API v62), with their Max. The emulator
 * counts what it can (API requests, Bulk jobs and batches, data storage); the rest stay at Max.
 */
const STATIC_LIMITS: Record<string, number> = {
    ActiveScratchOrgs: 3,
    AnalyticsExternalDataSizeMB: 40960,
    ConcurrentAsyncGetReportInstances: 200,
    ConcurrentEinsteinDataInsightsStoryCreation: 5,
    ConcurrentEinsteinDiscoveryStoryCreation: 2,
    ConcurrentSyncReportRuns: 20,
    DailyAnalyticsDataflowJobExecutions: 60,
    DailyAnalyticsUploadedFilesSizeMB: 51200,
    DailyAsyncApexExecutions: 250000,
    DailyAsyncApexTests: 500,
    DailyBulkV2QueryFileStorageMB: 976562,
    DailyDeliveredPlatformEvents: 50000,
    DailyDurableGenericStreamingApiEvents: 10000,
    DailyDurableStreamingApiEvents: 1000000,
    DailyEinsteinDataInsightsStoryCreation: 1000,
    DailyEinsteinDiscoveryPredictAPICalls: 50000,
    DailyEinsteinDiscoveryPredictionsByCDC: 5000000,
    DailyEinsteinDiscoveryStoryCreation: 100,
    DailyFunctionsApiCallLimit: 235000,
    DailyGenericStreamingApiEvents: 10000,
    DailyScratchOrgs: 6,
    DailyStandardVolumePlatformEvents: 10000,
    DailyStreamingApiEvents: 1000000,
    DailyWorkflowEmails: 2000000,
    DurableStreamingApiConcurrentClients: 1000,
    FileStorageMB: 20480,
    HourlyAsyncReportRuns: 1200,
    HourlyDashboardRefreshes: 200,
    HourlyDashboardResults: 5000,
    HourlyDashboardStatuses: 999999999,
    HourlyLongTermIdMapping: 100000,
    HourlyManagedContentPublicRequests: 50000,
    HourlyODataCallout: 20000,
    HourlyPublishedPlatformEvents: 250000,
    HourlyPublishedStandardVolumePlatformEvents: 100000,
    HourlyShortTermIdMapping: 100000,
    HourlySyncReportRuns: 500,
    HourlyTimeBasedWorkflow: 1000,
    MassEmail: 5000,
    MonthlyEinsteinDiscoveryStoryCreation: 500,
    MonthlyPlatformEventsUsageEntitlement: 300000,
    Package2VersionCreates: 6,
    Package2VersionCreatesWithoutValidation: 500,
    PermissionSets: 1500,
    PrivateConnectOutboundCalloutHourlyLimitMB: 0,
    PublishCallbackUsageInApex: 5242880,
    SingleEmail: 5000,
    StreamingApiConcurrentClients: 1000
};

/** Salesforce counts about 2 KB of data storage per record. */
const KB_PER_RECORD = 2;
const DATA_STORAGE_MB = 10240;

export function limitsResource(state: EmulatorState): Record<string, { Max: number; Remaining: number }> {
    let records = 0;
    // Setup objects and the computed access views take no data storage.
    for (const t of state.org.tables.values()) {
        if (!t.schema.deletable) continue;
        for (const r of t.rows.values()) if (!r.IsDeleted) records += 1;
    }
    const usedMb = Math.ceil((records * KB_PER_RECORD) / 1024);
    const counted: Record<string, { Max: number; Remaining: number }> = {
        DailyApiRequests: { Max: state.apiLimit, Remaining: Math.max(0, state.apiLimit - state.apiCalls) },
        DailyBulkApiBatches: { Max: 15000, Remaining: Math.max(0, 15000 - state.bulkBatches) },
        DailyBulkV2QueryJobs: { Max: 10000, Remaining: Math.max(0, 10000 - state.bulkJobs.size) },
        DataStorageMB: { Max: DATA_STORAGE_MB, Remaining: Math.max(0, DATA_STORAGE_MB - usedMb) }
    };
    const out: Record<string, { Max: number; Remaining: number }> = {};
    for (const key of [...Object.keys(STATIC_LIMITS), ...Object.keys(counted)].sort()) {
        out[key] = counted[key] ?? { Max: STATIC_LIMITS[key]!, Remaining: STATIC_LIMITS[key]! };
    }
    return out;
}
