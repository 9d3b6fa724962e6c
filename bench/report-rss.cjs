// Preloaded into benchmark children (node --require): writes the process's peak resident set
// size in KiB to $MLSPEC_RSS_FILE when it exits.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.MLSPEC_RSS_FILE) fs.writeFileSync(process.env.MLSPEC_RSS_FILE, String(process.resourceUsage().maxRSS));
});
