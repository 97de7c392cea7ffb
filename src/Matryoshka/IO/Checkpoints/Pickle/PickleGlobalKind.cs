namespace Matryoshka.IO.Checkpoints;

/// <summary>What an allowed global stands for; each kind is interpreted by Matryoshka's own code.</summary>
internal enum PickleGlobalKind
{
    /// <summary><c>torch._utils._rebuild_tensor_v2</c>.</summary>
    RebuildTensorV2,

    /// <summary><c>torch._utils._rebuild_tensor</c> (older checkpoints).</summary>
    RebuildTensor,

    /// <summary><c>torch._utils._rebuild_parameter</c>.</summary>
    RebuildParameter,

    /// <summary><c>torch._utils._rebuild_parameter_with_state</c>.</summary>
    RebuildParameterWithState,

    /// <summary>A typed storage class such as <c>torch.FloatStorage</c>, only meaningful in a persistent id.</summary>
    StorageType,

    /// <summary><c>collections.OrderedDict</c>: becomes a dict.</summary>
    OrderedDict,

    /// <summary><c>builtins.getattr</c>: only to name a member of an inert (enum) class.</summary>
    Getattr,

    /// <summary>A class of ml-mdm's config (or argparse.Namespace): its instances become inert data.</summary>
    InertClass,
}
