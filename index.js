// n8n reads the "n8n" section of package.json to find the node and credential; nothing is exported here.
module.exports = {};
