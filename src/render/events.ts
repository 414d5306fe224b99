/** One optimiser iteration, as progress callbacks see it (a leaf module, so the public types stay small). */
export interface IterationEvent {
  seed: number;
  stage: number;
  stageSize: number;
  iteration: number;
  iterations: number;
  loss: number;
  contentLoss: number;
  styleLoss: number;
  tvLoss: number;
}
