// Stands in for @tensorflow/tfjs-backend-wasm, which face-api's WASM build requires at load
// time but never calls while the CPU backend is selected (see reference.cjs).
'use strict';

module.exports = {};
