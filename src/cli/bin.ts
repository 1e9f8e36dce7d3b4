// The process entry point: run the command line, and turn any failure into one clear line
// and an exit code.

import './sdk-notice.js';
import { main, reportFailure } from './main.js';

main().catch(reportFailure);
