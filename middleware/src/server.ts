import { runProcess } from './process';

// The middleware alone (a real org by JWT, or no org), in the role BACKSTORY_ROLE names (default
// all: HTTP and the job queue). `npm start` runs the whole local stack; `npm run worker` a worker.
void runProcess();
