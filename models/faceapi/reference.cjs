#!/usr/bin/env node
// The reference: face-api.js itself (@vladmandic/face-api 1.7.15) on TF.js's pure-JS CPU
// backend, run on raw RGB frames so that no image decoder stands between it and our ONNX
// models. Writes, per frame, the networks' raw inputs and outputs as .npy and the decoded
// results (boxes with scores, 68 landmarks, aligned boxes, expression probabilities) to
// results.json.
//
//   node models/faceapi/reference.cjs --out DIR [--input-size 320] [--score-threshold 0.5] FRAME.npy...
//
// FRAME.npy: uint8 [height, width, 3] RGB. Exit 2 on bad arguments or input, with one line.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

// face-api's Node builds require tfjs-node (a native binary) or the WASM backend. Its WASM
// build needs nothing from @tensorflow/tfjs-backend-wasm until that backend is selected, so a
// stub stands in for it and the pinned pure-JS @tensorflow/tfjs (CPU backend) does the work.
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutWasm(request, ...rest) {
  if (request === '@tensorflow/tfjs-backend-wasm') return path.join(__dirname, 'wasm-stub.cjs');
  return resolve.call(this, request, ...rest);
};
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const { tf } = faceapi;
const MODEL_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'];

function fail(message) {
  process.stderr.write(`reference: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { out: null, inputSize: 320, scoreThreshold: 0.5, frames: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') args.out = value();
    else if (a === '--input-size') args.inputSize = Number(value());
    else if (a === '--score-threshold') args.scoreThreshold = Number(value());
    else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else args.frames.push(a);
  }
  if (!args.out) fail('--out DIR is required');
  if (args.frames.length === 0) fail('no frames given (FRAME.npy...)');
  if (!Number.isInteger(args.inputSize) || args.inputSize % 32 !== 0) fail(`--input-size must be a multiple of 32, not ${args.inputSize}`);
  return args;
}

// .npy version 1.0, little-endian: enough for uint8 frames in and float32 tensors out.
function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 1, 6) !== 'NUMPY') fail(`${file}: not a .npy file`);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || descr[1] !== '|u1') fail(`${file}: expected uint8 ('|u1'), header is ${header.trim()}`);
  if (!shape) fail(`${file}: no shape in header`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  if (dims.length !== 3 || dims[2] !== 3) fail(`${file}: expected [height, width, 3], got [${dims}]`);
  const data = bytes.subarray(10 + headerLength);
  if (data.length !== dims[0] * dims[1] * 3) fail(`${file}: ${data.length} bytes of data for shape [${dims}]`);
  return { data: Float32Array.from(data), shape: dims };
}

function writeNpy(file, values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(Float32Array.from(values).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

async function save(file, tensor) {
  writeNpy(file, await tensor.data(), tensor.shape);
}

function loadNet(net, name) {
  const manifestPath = path.join(MODEL_DIR, `${name}-weights_manifest.json`);
  const groups = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const weightMap = {};
  for (const group of groups) {
    const buffer = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(MODEL_DIR, p))));
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length);
    Object.assign(weightMap, tf.io.decodeWeights(arrayBuffer, group.weights));
  }
  net.loadFromWeightMap(weightMap);
}

const box = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

async function runFrame(file, args) {
  const name = path.basename(file, '.npy');
  const { data, shape } = readNpy(file);
  const image = tf.tensor3d(data, shape, 'float32');
  const prefix = path.join(args.out, name);

  // The detector's raw grid on exactly the tensor face-api builds (padded at the right or
  // bottom to a square, bilinear resize without align-corners or half-pixel centres).
  const netInput = await faceapi.toNetInput(image);
  const detectorInput = netInput.toBatchTensor(args.inputSize, false);
  await save(`${prefix}.detector_input.npy`, detectorInput);
  const grid = faceapi.nets.tinyFaceDetector.forwardInput(netInput, args.inputSize);
  await save(`${prefix}.detector_grid.npy`, grid);
  tf.dispose([detectorInput, grid]);

  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: args.inputSize, scoreThreshold: args.scoreThreshold });
  const results = await faceapi.detectAllFaces(image, options).withFaceLandmarks().withFaceExpressions();
  const faces = [];
  for (const [k, r] of results.entries()) {
    // Landmarks: the detection box clipped and floored, padded to a centred square, 112x112.
    const [landmarkFace] = await faceapi.extractFaceTensors(image, [r.detection]);
    const landmarkInput = await faceapi.toNetInput(landmarkFace);
    const landmarkTensor = landmarkInput.toBatchTensor(112, true);
    await save(`${prefix}.face${k}.landmark_input.npy`, landmarkTensor);
    const landmarkRaw = faceapi.nets.faceLandmark68Net.runNet(landmarkInput);
    await save(`${prefix}.face${k}.landmark_raw.npy`, landmarkRaw);
    const landmarkTinyRaw = faceapi.nets.faceLandmark68TinyNet.runNet(landmarkInput);
    await save(`${prefix}.face${k}.landmark_tiny_raw.npy`, landmarkTinyRaw);

    // Expressions: the box face-api aligns from the landmarks (their bounding box grown 20 %).
    const [expressionFace] = await faceapi.extractFaceTensors(image, [r.alignedRect]);
    const expressionInput = await faceapi.toNetInput(expressionFace);
    const expressionTensor = expressionInput.toBatchTensor(112, true);
    await save(`${prefix}.face${k}.expression_input.npy`, expressionTensor);
    const probabilities = faceapi.nets.faceExpressionNet.forwardInput(expressionInput);
    await save(`${prefix}.face${k}.expression_raw.npy`, probabilities);
    tf.dispose([landmarkFace, landmarkTensor, landmarkRaw, landmarkTinyRaw, expressionFace, expressionTensor, probabilities]);

    faces.push({
      score: r.detection.score,
      box: box(r.detection.box),
      landmarks: r.landmarks.positions.map((p) => [p.x, p.y]),
      alignedBox: box(r.alignedRect.box),
      expressions: EXPRESSIONS.map((e) => r.expressions[e]),
    });
  }
  image.dispose();
  return { name, width: shape[1], height: shape[0], faces };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  for (const f of args.frames) if (!fs.existsSync(f)) fail(`${f}: no such file`);
  fs.mkdirSync(args.out, { recursive: true });
  await tf.setBackend('cpu');
  await tf.ready();
  loadNet(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  loadNet(faceapi.nets.faceLandmark68TinyNet, 'face_landmark_68_tiny_model');
  loadNet(faceapi.nets.faceExpressionNet, 'face_expression_model');

  const frames = [];
  for (const f of args.frames) frames.push(await runFrame(f, args));
  const summary = {
    faceApi: faceapi.version,
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    inputSize: args.inputSize,
    scoreThreshold: args.scoreThreshold,
    expressions: EXPRESSIONS,
    frames,
  };
  fs.writeFileSync(path.join(args.out, 'results.json'), JSON.stringify(summary, null, 1));
  process.stdout.write(`reference: ${frames.length} frames, ${frames.reduce((n, f) => n + f.faces.length, 0)} faces -> ${args.out}\n`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
