// n8n's own community-node rules, exactly as `n8n-node lint` applies them.
import { config } from '@n8n/node-cli/eslint';

export default config;
