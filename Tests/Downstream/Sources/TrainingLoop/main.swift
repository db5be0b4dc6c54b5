import TensorCore

var rng = RandomGenerator(seed: 42)                 // every random stream is explicit and seeded
let fc1 = Linear(inFeatures: 2, outFeatures: 32, generator: &rng)   // weight [out, in], HF layout
let fc2 = Linear(inFeatures: 32, outFeatures: 3, generator: &rng)
let optimizer = AdamW(parameters: fc1.parameters() + fc2.parameters(), learningRate: 1e-2)

let x = Tensor([0.1, 0.2, -0.3, 0.4], shape: [2, 2])
let y = IntTensor([0, 2], shape: [2])
for _ in 0..<100 {
    optimizer.zeroGrad()                             // gradients accumulate until zeroed
    let loss = crossEntropy(logits: fc2(fc1(x).relu()), targets: y)
    loss.backward()
    optimizer.step()
}
let logits = withNoGrad { fc2(fc1(x).relu()) }      // no graph recorded (task-local scope)
print(logits.argmax(axis: 1).values)                // [0, 2]: the targets

// ---- Not in the README: print the results for Scripts/check_readme_output.py.
let predicted = logits.argmax(axis: 1).values
print("{\"program\":\"TrainingLoop\",\"argmax\":\(predicted)}")
