import { runProcess } from './process';

// `npm run worker` (SCALE-1): the job queue only, no API; /healthz and /readyz on HEALTH_PORT when set.
void runProcess('worker');
