// The fixed part of tflmc's model.cc: the MicroContext TFLM's kernels see instead of the
// interpreter's. Tensors sit where the host run's planner put them; what the kernels ask for on
// the device (persistent OpData, scratch buffers, temporary tensors during Prepare) is carved
// from the rest of the arena: persistent buffers from its end down, temporaries above the
// planned tensors during each Prepare, and after Prepare one scratch region above the planned
// tensors that each node's buffers share (a node's scratch lives only during its Invoke).
// No model data is in this text: the tables it reads come from tflmc-emit.ts.

export const TFLMC_RUNTIME = `namespace {

inline TfLiteIntArray *mlb_ints(const void *a) { return const_cast<TfLiteIntArray *>(static_cast<const TfLiteIntArray *>(a)); }

uint8_t *mlb_align_up(uint8_t *p, size_t a) { return reinterpret_cast<uint8_t *>((reinterpret_cast<uintptr_t>(p) + a - 1) & ~(uintptr_t)(a - 1)); }
uint8_t *mlb_align_down(uint8_t *p, size_t a) { return reinterpret_cast<uint8_t *>(reinterpret_cast<uintptr_t>(p) & ~(uintptr_t)(a - 1)); }

class MlbGraph : public tflite::MicroGraph {
 public:
  TfLiteStatus InvokeSubgraph(int) override { return kTfLiteError; }
  size_t NumSubgraphInputs(int) override { return 0; }
  TfLiteEvalTensor *GetSubgraphInput(int, int) override { return nullptr; }
  size_t NumSubgraphOutputs(int) override { return 0; }
  TfLiteEvalTensor *GetSubgraphOutput(int, int) override { return nullptr; }
  int NumSubgraphs() override { return 1; }
  tflite::MicroResourceVariables *GetResourceVariables() override { return nullptr; }

 private:
  TF_LITE_REMOVE_VIRTUAL_DELETE
};

class MlbContext : public tflite::MicroContext {
 public:
  void Start() {
    temp_ = temp_base();
    temp_peak_ = temp_;
    persistent_ = mlb_align_down(mlb_arena + kArenaSize, 16);
    scratch_count_ = 0;
  }
  void set_node(int node) { node_ = node; }
  // After each Prepare, like TFLM's allocator: a node's temporaries do not outlive it.
  void EndPrepare() { temp_ = temp_base(); }
  bool failed() const { return failed_; }

  // Lays out the scratch region: each node's buffers one after the other from its start.
  bool PlanScratch() {
    size_t region = 0;
    for (int i = 0; i < scratch_count_;) {
      size_t at = 0;
      int node = scratch_node_[i];
      for (; i < scratch_count_ && scratch_node_[i] == node; i++) {
        scratch_offset_[i] = at;
        at = (at + scratch_bytes_[i] + 15) & ~(size_t)15;
      }
      if (at > region) region = at;
    }
    scratch_end_ = temp_base() + region;
    return !failed_ && scratch_end_ <= persistent_ && temp_peak_ <= persistent_;
  }
  size_t used() const {
    uint8_t *top = scratch_end_ > temp_peak_ ? scratch_end_ : temp_peak_;
    return static_cast<size_t>(top - mlb_arena) + static_cast<size_t>(mlb_arena + kArenaSize - persistent_);
  }

  void *AllocatePersistentBuffer(size_t bytes) override {
    uint8_t *p = mlb_align_down(persistent_ - bytes, 16);
    if (p < temp_peak_) { failed_ = true; return nullptr; }
    persistent_ = p;
    return p;
  }
  TfLiteStatus RequestScratchBufferInArena(size_t bytes, int *buffer_idx) override {
    if (scratch_count_ == kMaxScratch) { failed_ = true; return kTfLiteError; }
    scratch_node_[scratch_count_] = node_;
    scratch_bytes_[scratch_count_] = bytes;
    *buffer_idx = scratch_count_++;
    return kTfLiteOk;
  }
  void *GetScratchBuffer(int buffer_idx) override {
    return buffer_idx >= 0 && buffer_idx < scratch_count_ ? temp_base() + scratch_offset_[buffer_idx] : nullptr;
  }
  TfLiteTensor *AllocateTempTfLiteTensor(int tensor_idx) override {
    if (tensor_idx < 0) return nullptr;
    const MlbTensor &spec = mlb_tensors[tensor_idx];
    TfLiteTensor *t = reinterpret_cast<TfLiteTensor *>(AllocateTempBuffer(sizeof(TfLiteTensor), alignof(TfLiteTensor)));
    if (t == nullptr) return nullptr;
    memset(t, 0, sizeof(*t));
    t->type = spec.type;
    t->data = mlb_eval[tensor_idx].data;
    t->dims = mlb_ints(spec.dims);
    t->bytes = spec.bytes;
    t->allocation_type = spec.constant != nullptr ? kTfLiteMmapRo : kTfLiteArenaRw;
    if (spec.scale != nullptr) {
      TfLiteAffineQuantization *q = reinterpret_cast<TfLiteAffineQuantization *>(
          AllocateTempBuffer(sizeof(TfLiteAffineQuantization), alignof(TfLiteAffineQuantization)));
      if (q == nullptr) return nullptr;
      q->scale = const_cast<TfLiteFloatArray *>(static_cast<const TfLiteFloatArray *>(spec.scale));
      q->zero_point = mlb_ints(spec.zero_point);
      q->quantized_dimension = spec.quantized_dimension;
      t->quantization.type = kTfLiteAffineQuantization;
      t->quantization.params = q;
      t->params.scale = q->scale->data[0];
      t->params.zero_point = q->zero_point->data[0];
    }
    return t;
  }
  void DeallocateTempTfLiteTensor(TfLiteTensor *) override {}
  uint8_t *AllocateTempBuffer(size_t size, size_t alignment) override {
    uint8_t *p = mlb_align_up(temp_, alignment);
    if (p + size > persistent_) { failed_ = true; return nullptr; }
    temp_ = p + size;
    if (temp_ > temp_peak_) temp_peak_ = temp_;
    return p;
  }
  void DeallocateTempBuffer(uint8_t *) override {}
  TfLiteEvalTensor *GetEvalTensor(int tensor_idx) override { return tensor_idx >= 0 ? &mlb_eval[tensor_idx] : nullptr; }
  TfLiteStatus set_external_context(void *payload) override {
    external_ = payload;
    return kTfLiteOk;
  }
  void *external_context() override { return external_; }
  tflite::MicroGraph &graph() override { return graph_; }

 private:
  static uint8_t *temp_base() { return mlb_arena + kPlannedBytes; }
  static constexpr int kMaxScratch = 4 * kNodeCount + 4;
  MlbGraph graph_;
  uint8_t *temp_ = nullptr;
  uint8_t *temp_peak_ = nullptr;
  uint8_t *persistent_ = nullptr;
  uint8_t *scratch_end_ = nullptr;
  void *external_ = nullptr;
  int node_ = 0;
  bool failed_ = false;
  int scratch_count_ = 0;
  int scratch_node_[kMaxScratch];
  size_t scratch_bytes_[kMaxScratch];
  size_t scratch_offset_[kMaxScratch];
  TF_LITE_REMOVE_VIRTUAL_DELETE
};

void mlb_report_error(TfLiteContext *, const char *, ...) {}

MlbContext mlb_micro_context;
TfLiteContext mlb_tflite_context;
size_t mlb_arena_used = 0;
bool mlb_ready = false;

}  // namespace

int mlb_model_init(void) {
  TfLiteContext &c = mlb_tflite_context;
  c.impl_ = &mlb_micro_context;
  c.ReportError = mlb_report_error;
  c.GetTensor = tflite::MicroContextGetTensor;
  c.GetEvalTensor = tflite::MicroContextGetEvalTensor;
  c.AllocatePersistentBuffer = tflite::MicroContextAllocatePersistentBuffer;
  c.RequestScratchBufferInArena = tflite::MicroContextRequestScratchBufferInArena;
  c.GetScratchBuffer = tflite::MicroContextGetScratchBuffer;
  c.GetExternalContext = tflite::MicroContextGetExternalContext;
  mlb_register_kernels();
  for (int i = 0; i < kTensorCount; i++) {
    const MlbTensor &t = mlb_tensors[i];
    mlb_eval[i].data.data = t.arena_offset >= 0 ? static_cast<void *>(mlb_arena + t.arena_offset) : const_cast<void *>(t.constant);
    mlb_eval[i].dims = mlb_ints(t.dims);
    mlb_eval[i].type = t.type;
  }
  mlb_micro_context.Start();
  // TFLM's order: every node's init, then every node's prepare.
  for (int i = 0; i < kNodeCount; i++) {
    const MlbNode &n = mlb_nodes[i];
    TfLiteNode &node = mlb_node_state[i];
    node.inputs = mlb_ints(n.inputs);
    node.outputs = mlb_ints(n.outputs);
    node.intermediates = mlb_ints(n.intermediates);
    node.builtin_data = const_cast<void *>(n.options);
    mlb_micro_context.set_node(i);
    const TFLMRegistration &r = mlb_registrations[n.registration];
    if (r.init != nullptr) node.user_data = r.init(&c, static_cast<const char *>(n.options), 0);
  }
  for (int i = 0; i < kNodeCount; i++) {
    mlb_micro_context.set_node(i);
    const TFLMRegistration &r = mlb_registrations[mlb_nodes[i].registration];
    if (r.prepare != nullptr && r.prepare(&c, &mlb_node_state[i]) != kTfLiteOk) {
      printf("tflmc: node %d failed to prepare%s\\n", i, mlb_micro_context.failed() ? " (arena too small)" : "");
      return 1;
    }
    mlb_micro_context.EndPrepare();
  }
  if (!mlb_micro_context.PlanScratch()) {
    printf("tflmc: the arena of %lu bytes is too small: it needs %lu (set tflmc.arena_size)\\n", (unsigned long)kArenaSize,
           (unsigned long)mlb_micro_context.used());
    return 1;
  }
  mlb_arena_used = mlb_micro_context.used();
  mlb_ready = true;
  return 0;
}

// The harness prints it as "# Arena Usage" (the Model Arena figure): planned tensors, the larger
// of scratch and Prepare's temporaries, and the kernels' persistent data, as used on this target.
size_t mlb_model_arena_used(void) { return mlb_arena_used; }

int mlb_model_invoke(void) {
  if (!mlb_ready) return 1;
  for (int i = 0; i < kNodeCount; i++) {
    if (mlb_registrations[mlb_nodes[i].registration].invoke(&mlb_tflite_context, &mlb_node_state[i]) != kTfLiteOk) return 1;
  }
  return 0;
}
`;
