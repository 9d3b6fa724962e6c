/**
 * Names from Keras, PyTorch and Ludwig that users bring with them, and what mlspec writes
 * instead. Consulted before edit-distance suggestions wherever a name is unknown, so that
 * `learning_rate`, `batch_size`, `metrics: [acc]`, `ReLU()` or `cosine_decay` get a one-line fix
 * even though they are far from the mlspec name. Names are matched ignoring case and `_`.
 */

import { didYouMean } from './suggest.js';

/** Where a name was written: a call family, an option (of `within`), a section, or an enum value set. */
export type AliasDomain = 'layer' | 'loss' | 'optimizer' | 'schedule' | 'stop' | 'clip' | 'source' | 'option' | 'section' | 'metric' | 'activation' | 'initializer';

export interface Alias {
  domain: AliasDomain;
  /** The foreign spellings. */
  names: readonly string[];
  /** What to write in mlspec (a name, or a short piece of code). */
  write: string;
  /** Where the names come from, shown after the suggestion. */
  from: string;
  /** For options: only in these calls or sections (schema names); any when absent. */
  within?: readonly string[];
}

const a = (domain: AliasDomain, names: readonly string[], write: string, from: string, within?: readonly string[]): Alias => ({ domain, names, write, from, ...(within ? { within } : {}) });

export const aliases: readonly Alias[] = [
  // Options of calls and sections
  a('option', ['learning_rate', 'learningrate', 'base_lr'], 'lr', 'Keras, PyTorch and Ludwig'),
  a('option', ['batch_size', 'mini_batch_size'], 'batch', 'Keras, PyTorch and Ludwig', ['train']),
  a('option', ['num_epochs', 'max_epochs', 'n_epochs', 'nb_epoch'], 'epochs', 'Lightning and Ludwig', ['train']),
  a('option', ['random_seed', 'random_state', 'manual_seed'], 'seed', 'scikit-learn and PyTorch', ['train', 'data']),
  a('option', ['momentum'], 'momentum(lr: 0.01, beta: 0.9)', 'PyTorch SGD(momentum=0.9) and Keras SGD(momentum=0.9); SGD with momentum is its own optimizer in mlspec', ['sgd', 'gd']),
  a('option', ['nesterov'], "momentum(lr: 0.01, beta: 0.9, form: nesterov)", 'PyTorch and Keras SGD(nesterov=True)', ['sgd', 'gd', 'momentum']),
  a('option', ['eps'], 'epsilon', 'PyTorch'),
  a('option', ['betas'], 'beta1: 0.9, beta2: 0.999', 'PyTorch Adam(betas=(0.9, 0.999))', ['adam', 'adamw']),
  a('option', ['alpha'], 'rho', 'PyTorch RMSprop(alpha=0.99)', ['rmsprop']),
  a('option', ['p'], 'rate', 'PyTorch Dropout(p=0.5)', ['dropout']),
  a('option', ['out_features', 'output_dim', 'hidden_size', 'output_size'], 'units', 'PyTorch and Ludwig', ['dense', 'lstm', 'gru', 'simple_rnn']),
  a('option', ['out_channels', 'num_filters'], 'filters', 'PyTorch and Ludwig', ['conv1d', 'conv2d']),
  a('option', ['kernel_size'], 'kernel', 'Keras and PyTorch', ['conv1d', 'conv2d']),
  a('option', ['pool_size'], 'size', 'Keras', ['max_pool1d', 'avg_pool1d', 'max_pool2d', 'avg_pool2d']),
  a('option', ['num_heads', 'nhead'], 'heads', 'Keras and PyTorch', ['attention', 'transformer']),
  a('option', ['input_dim', 'num_embeddings', 'vocab_size'], 'vocab', 'Keras and PyTorch', ['embedding']),
  a('option', ['embedding_dim', 'embedding_size'], 'dim', 'Keras, PyTorch and Ludwig', ['embedding']),
  a('option', ['kernel_initializer'], 'initializer', 'Keras'),
  a('option', ['kernel_regularizer'], 'l2', 'Keras (kernel_regularizer=l2(0.01))'),
  a('option', ['decay_steps', 'step_size'], 'every', 'Keras and PyTorch', ['exponential', 'step', 'inverse_time']),
  a('option', ['decay_rate', 'gamma'], 'rate', 'Keras ExponentialDecay and PyTorch ExponentialLR', ['exponential', 'inverse_time']),
  a('option', ['gamma'], 'factor', 'PyTorch StepLR and MultiStepLR', ['step', 'multistep']),
  a('option', ['t_max', 'decay_steps'], 'steps', 'PyTorch CosineAnnealingLR and Keras CosineDecay', ['cosine', 'polynomial']),
  a('option', ['eta_min', 'min_lr'], 'min', 'PyTorch and Keras', ['cosine', 'plateau']),
  a('option', ['validation_split'], 'split { train: 0.8, validation: 0.2 }', 'Keras fit(validation_split=0.2)'),
  a('option', ['loss_function'], 'loss', 'Ludwig'),
  // Sections
  a('section', ['trainer', 'training', 'fit'], 'train', 'Ludwig and Keras'),
  a('section', ['preprocessing', 'dataset', 'input_features'], 'data', 'Ludwig'),
  a('section', ['layers', 'network', 'combiner', 'architecture'], 'model', 'Ludwig and Keras'),
  a('section', ['optimiser'], 'optimizer', 'British spelling'),
  a('section', ['lr_scheduler', 'scheduler', 'learning_rate_schedule'], 'schedule', 'PyTorch and Ludwig'),
  a('section', ['callbacks', 'early_stopping', 'earlystopping'], 'train { stop: early(monitor: val_loss, patience: 5) }', 'Keras and Ludwig'),
  a('section', ['learning_rate', 'lr'], 'optimizer: adam(lr: 0.001)', 'Keras and Ludwig'),
  a('section', ['batch_size', 'epochs', 'metrics'], 'train { ... }', 'Keras fit(...)'),
  // Losses
  a('loss', ['cross_entropy', 'crossentropy', 'cross_entropy_loss', 'crossentropyloss', 'nll_loss', 'nllloss', 'softmax_cross_entropy'], 'sparse_categorical_cross_entropy', "PyTorch's CrossEntropyLoss on integer class labels; add (from_logits: true) for an output without softmax, as PyTorch expects"),
  a('loss', ['bce', 'bce_loss', 'bceloss', 'binary_crossentropy_loss', 'sigmoid_cross_entropy'], 'binary_cross_entropy', 'PyTorch BCELoss'),
  a('loss', ['bce_with_logits', 'bcewithlogitsloss', 'bcewithlogits'], 'binary_cross_entropy(from_logits: true)', 'PyTorch BCEWithLogitsLoss'),
  a('loss', ['mean_squared_error', 'mse_loss', 'mseloss', 'l2', 'l2_loss'], 'mse', 'Keras and PyTorch'),
  a('loss', ['mean_absolute_error', 'l1', 'l1_loss', 'l1loss'], 'mae', 'Keras and PyTorch'),
  a('loss', ['huber_loss', 'huberloss', 'smooth_l1', 'smoothl1loss', 'smooth_l1_loss'], 'huber', 'Keras and PyTorch'),
  // Optimizers
  a('optimizer', ['sgd_momentum', 'nesterov', 'nag'], 'momentum(lr: 0.01, beta: 0.9)', 'SGD with momentum'),
  a('optimizer', ['adam_w'], 'adamw', 'PyTorch AdamW'),
  a('optimizer', ['rms_prop'], 'rmsprop', 'Keras and PyTorch RMSprop'),
  a('optimizer', ['gradient_descent', 'batch_gd'], 'gd', 'full-batch gradient descent'),
  // Schedules
  a('schedule', ['cosine_decay', 'cosine_annealing', 'cosineannealinglr', 'cosine_annealing_lr'], 'cosine', 'Keras CosineDecay and PyTorch CosineAnnealingLR'),
  a('schedule', ['exponential_decay', 'exponentiallr', 'exponential_lr'], 'exponential', 'Keras ExponentialDecay and PyTorch ExponentialLR'),
  a('schedule', ['steplr', 'step_lr', 'step_decay'], 'step', 'PyTorch StepLR'),
  a('schedule', ['multisteplr', 'multi_step_lr', 'multi_step'], 'multistep', 'PyTorch MultiStepLR'),
  a('schedule', ['reduce_lr_on_plateau', 'reducelronplateau', 'reduce_on_plateau'], 'plateau', 'Keras ReduceLROnPlateau and PyTorch ReduceLROnPlateau'),
  a('schedule', ['piecewise_constant_decay', 'piecewise_constant'], 'piecewise', 'Keras PiecewiseConstantDecay'),
  a('schedule', ['polynomial_decay', 'polynomiallr'], 'polynomial', 'Keras PolynomialDecay and PyTorch PolynomialLR'),
  a('schedule', ['inverse_time_decay'], 'inverse_time', 'Keras InverseTimeDecay'),
  a('schedule', ['linear_warmup', 'warmup_cosine'], 'warmup(steps: 100, then: cosine(steps: 1000))', 'warm-up schedules'),
  a('schedule', ['none', 'constantlr', 'constant_lr'], 'constant', 'a constant learning rate'),
  // Stop rules
  a('stop', ['early_stopping', 'earlystopping', 'early_stop'], 'early', 'Keras EarlyStopping'),
  // Layers
  ...(['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'softplus'] as const).map((fn) => a('layer', [fn], `activation(${fn})`, `an activation layer (PyTorch nn.${fn === 'relu' ? 'ReLU' : fn[0]!.toUpperCase() + fn.slice(1)}())`)),
  a('layer', ['leakyrelu', 'leaky_relu'], 'activation(leaky_relu)', 'PyTorch nn.LeakyReLU()'),
  a('layer', ['silu', 'swish'], 'activation(swish)', 'PyTorch nn.SiLU()'),
  a('layer', ['linear', 'fully_connected', 'fc', 'fullyconnected'], 'dense', 'PyTorch nn.Linear and Ludwig fc layers'),
  a('layer', ['batchnorm1d', 'batchnorm2d', 'batch_normalization', 'batchnormalization', 'batchnorm'], 'batch_norm', 'PyTorch BatchNorm and Keras BatchNormalization'),
  a('layer', ['layernorm', 'layer_normalization', 'layernormalization'], 'layer_norm', 'PyTorch LayerNorm and Keras LayerNormalization'),
  a('layer', ['maxpool1d', 'maxpooling1d'], 'max_pool1d', 'PyTorch and Keras'),
  a('layer', ['maxpool2d', 'maxpooling2d', 'maxpool'], 'max_pool2d', 'PyTorch and Keras'),
  a('layer', ['avgpool1d', 'averagepooling1d'], 'avg_pool1d', 'PyTorch and Keras'),
  a('layer', ['avgpool2d', 'averagepooling2d', 'avgpool'], 'avg_pool2d', 'PyTorch and Keras'),
  a('layer', ['globalaveragepooling1d', 'adaptiveavgpool1d'], 'global_avg_pool1d', 'Keras and PyTorch'),
  a('layer', ['globalaveragepooling2d', 'adaptiveavgpool2d'], 'global_avg_pool2d', 'Keras and PyTorch'),
  a('layer', ['globalmaxpooling1d', 'adaptivemaxpool1d'], 'global_max_pool1d', 'Keras and PyTorch'),
  a('layer', ['globalmaxpooling2d', 'adaptivemaxpool2d'], 'global_max_pool2d', 'Keras and PyTorch'),
  a('layer', ['multiheadattention', 'multi_head_attention', 'self_attention'], 'attention', 'Keras and PyTorch MultiheadAttention'),
  a('layer', ['transformerencoderlayer', 'transformer_encoder', 'transformerencoder'], 'transformer', 'PyTorch TransformerEncoderLayer'),
  a('layer', ['rnn', 'simplernn'], 'simple_rnn', 'PyTorch RNN and Keras SimpleRNN'),
  a('layer', ['conv', 'convolution2d'], 'conv2d', 'Keras Convolution2D'),
  a('layer', ['inputlayer', 'input_layer'], 'input', 'Keras InputLayer'),
  // Metrics (also after val_ in monitors)
  a('metric', ['acc', 'categorical_accuracy', 'sparse_categorical_accuracy', 'binary_accuracy'], 'accuracy', 'Keras'),
  a('metric', ['mean_absolute_error'], 'mae', 'Keras'),
  a('metric', ['mean_squared_error'], 'mse', 'Keras'),
  a('metric', ['root_mean_squared_error'], 'rmse', 'Keras'),
  a('metric', ['r2_score', 'r_squared', 'rsquared', 'coefficient_of_determination'], 'r2', 'scikit-learn'),
  a('metric', ['f1_score', 'fscore', 'f_score'], 'f1', 'scikit-learn'),
  // Activations
  a('activation', ['none', 'identity'], 'linear', 'Keras activation=None and PyTorch nn.Identity'),
  a('activation', ['silu'], 'swish', 'PyTorch SiLU'),
  a('activation', ['leakyrelu', 'lrelu'], 'leaky_relu', 'PyTorch LeakyReLU'),
  // Initializers
  a('initializer', ['xavier_uniform', 'xavier'], 'glorot_uniform', 'PyTorch'),
  a('initializer', ['xavier_normal'], 'glorot_normal', 'PyTorch'),
  a('initializer', ['kaiming_uniform', 'kaiming'], 'he_uniform', 'PyTorch'),
  a('initializer', ['kaiming_normal'], 'he_normal', 'PyTorch'),
];

const normalized = (name: string): string => name.toLowerCase().replaceAll('_', '');

/** The alias of `name` in `domain` (written inside call or section `within`), or null. */
export function findAlias(domain: AliasDomain, name: string, within?: string): Alias | null {
  const key = normalized(name);
  for (const alias of aliases) {
    if (alias.domain !== domain) continue;
    if (alias.within && (within === undefined || !alias.within.includes(within))) continue;
    if (alias.names.some((n) => normalized(n) === key)) return alias;
  }
  return null;
}

/** " Did you mean 'lr'? (learning_rate: Keras, PyTorch and Ludwig)" for a known alias, else "". */
export function aliasHint(domain: AliasDomain, name: string, within?: string): string {
  const alias = findAlias(domain, name, within);
  return alias ? ` Did you mean '${alias.write}'? (${name}: ${alias.from})` : '';
}

/** The alias hint, else the closest name by edit distance (" Did you mean 'x'?"), else "". */
export function suggestName(domain: AliasDomain, name: string, candidates: Iterable<string>, within?: string): string {
  return aliasHint(domain, name, within) || didYouMean(name, candidates);
}
