'use strict';
// The plugin's server code is TypeScript compiled with the app (root tsconfig) into dist/.
module.exports = require('../../../dist/src/plugins/events/server').default;
