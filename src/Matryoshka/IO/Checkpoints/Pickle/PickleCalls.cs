namespace Matryoshka.IO.Checkpoints;

/// <summary>
/// What REDUCE, NEWOBJ, INST and OBJ mean for each allowed global. Nothing is ever invoked: each case
/// builds a plain value (a dict, a tensor description, inert data) after checking its arguments.
/// </summary>
internal static class PickleCalls
{
    /// <summary>REDUCE (and INST/OBJ): <c>callable(*arguments)</c>.</summary>
    /// <param name="callable">The value called.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="failure">Makes the errors.</param>
    /// <param name="charge">Counts work that grows with the arguments against the object budget.</param>
    public static object? Call(object? callable, PickleTuple arguments, PickleFailure failure, Action<long> charge)
    {
        if (callable is not PickleGlobal global)
        {
            throw failure.Format($"REDUCE applied to a {PickleTypeNames.Of(callable)}, which is not a callable global");
        }
        switch (global.Kind)
        {
            case PickleGlobalKind.OrderedDict:
                return NewDict(arguments, failure, charge);
            case PickleGlobalKind.RebuildTensorV2:
                // (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
                RequireCount(global, arguments, 6, 7, failure);
                return Tensor(arguments, requiresGrad: arguments[4], failure);
            case PickleGlobalKind.RebuildTensor:
                // (storage, offset, size, stride)
                RequireCount(global, arguments, 4, 4, failure);
                return Tensor(arguments, requiresGrad: false, failure);
            case PickleGlobalKind.RebuildParameter:
                // (data, requires_grad, backward_hooks)
                RequireCount(global, arguments, 3, 3, failure);
                return Parameter(arguments, failure);
            case PickleGlobalKind.RebuildParameterWithState:
                // (data, requires_grad, backward_hooks, state): the state holds Python attributes only.
                RequireCount(global, arguments, 4, 4, failure);
                return Parameter(arguments, failure);
            case PickleGlobalKind.Getattr:
                return EnumMember(arguments, failure);
            case PickleGlobalKind.InertClass:
                return new InertObject(global.FullName, arguments, keywordArguments: null);
            case PickleGlobalKind.StorageType:
                throw failure.Unsafe(global.FullName, $"refused call of '{global.FullName}': storage types only appear in persistent ids");
            default:
                throw failure.Format($"'{global.FullName}' cannot be called");
        }
    }

    /// <summary>NEWOBJ and NEWOBJ_EX: <c>cls.__new__(cls, *arguments, **keywords)</c>.</summary>
    public static object NewObject(object? cls, PickleTuple arguments, PickleDict? keywords, PickleFailure failure)
    {
        return cls switch
        {
            PickleGlobal { Kind: PickleGlobalKind.InertClass } global => new InertObject(global.FullName, arguments, keywords),
            PickleGlobal { Kind: PickleGlobalKind.OrderedDict } when arguments.Count == 0 && (keywords is null || keywords.Count == 0) => new PickleDict(),
            PickleGlobal global => throw failure.Unsafe(global.FullName, $"refused NEWOBJ of '{global.FullName}': not a class a checkpoint instantiates"),
            _ => throw failure.Format($"NEWOBJ applied to a {PickleTypeNames.Of(cls)}, which is not a class"),
        };
    }

    private static PickleDict NewDict(PickleTuple arguments, PickleFailure failure, Action<long> charge)
    {
        var dict = new PickleDict();
        if (arguments.Count == 0)
        {
            return dict;
        }
        if (arguments.Count > 1)
        {
            throw failure.Format($"collections.OrderedDict called with {arguments.Count} arguments; expected none or one list of pairs");
        }
        IReadOnlyList<object?> pairs = arguments[0] switch
        {
            List<object?> list => list,
            PickleTuple tuple => tuple.Items,
            var other => throw failure.Format($"collections.OrderedDict called with a {PickleTypeNames.Of(other)}; expected a list of pairs"),
        };
        foreach (var pair in pairs)
        {
            IReadOnlyList<object?> keyValue = pair switch
            {
                PickleTuple { Count: 2 } tuple => tuple.Items,
                List<object?> { Count: 2 } list => list,
                _ => throw failure.Format("collections.OrderedDict called with an item that is not a (key, value) pair"),
            };
            // The same list of pairs can be passed again and again through the memo.
            charge(PickleDict.KeyCost(keyValue[0]));
            var problem = dict.TrySet(keyValue[0], keyValue[1]);
            if (problem is not null)
            {
                throw failure.Format(problem);
            }
        }
        return dict;
    }

    private static PickledTensor Tensor(PickleTuple arguments, object? requiresGrad, PickleFailure failure)
    {
        if (arguments[0] is not PickledStorage storage)
        {
            throw failure.Format($"tensor rebuilt from a {PickleTypeNames.Of(arguments[0])} instead of a storage");
        }
        var tensor = TensorLayout.Create(storage, arguments[1], arguments[2], arguments[3], failure.Format);
        tensor.RequiresGrad = requiresGrad is true;
        return tensor;
    }

    private static PickledTensor Parameter(PickleTuple arguments, PickleFailure failure)
    {
        if (arguments[0] is not PickledTensor tensor)
        {
            throw failure.Format($"parameter rebuilt from a {PickleTypeNames.Of(arguments[0])} instead of a tensor");
        }
        tensor.RequiresGrad = arguments[1] is true;
        return tensor;
    }

    private static PickledEnumMember EnumMember(PickleTuple arguments, PickleFailure failure)
    {
        // Python pickles an enum member as getattr(EnumClass, "NAME"); any other use of getattr could
        // reach arbitrary attributes, so only that shape is accepted.
        if (arguments.Count == 2
            && arguments[0] is PickleGlobal { Kind: PickleGlobalKind.InertClass } enumClass
            && arguments[1] is string member
            && member.Length > 0 && member.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return new PickledEnumMember(enumClass.FullName, member);
        }
        var target = arguments.Count > 0 ? PickleTypeNames.Of(arguments[0]) : "nothing";
        throw failure.Unsafe("builtins.getattr", $"refused builtins.getattr applied to {target}: only members of ml-mdm's (inert) enum classes are accepted");
    }

    private static void RequireCount(PickleGlobal global, PickleTuple arguments, int min, int max, PickleFailure failure)
    {
        if (arguments.Count < min || arguments.Count > max)
        {
            var expected = min == max ? $"{min}" : $"{min} or {max}";
            throw failure.Format($"{global.FullName} called with {arguments.Count} arguments; expected {expected}");
        }
    }
}
