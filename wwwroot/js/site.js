"use strict";
// Progressive enhancements only: every page works without this file, and today none is needed.
