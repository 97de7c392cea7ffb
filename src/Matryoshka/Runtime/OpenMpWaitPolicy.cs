namespace Matryoshka.Runtime;

/// <summary>How libtorch's OpenMP worker threads wait between parallel regions (<c>OMP_WAIT_POLICY</c>).</summary>
public enum OpenMpWaitPolicy
{
    /// <summary>Leave it to the OpenMP runtime (libgomp spins for a while, then sleeps) or to the environment.</summary>
    Default,

    /// <summary>Sleep at once. Costs a little on an idle machine and saves a collapse on a busy one: spinning workers take
    /// the CPU from whoever else runs, including this process's own other threads.</summary>
    Passive,

    /// <summary>Spin. Only for a machine the process has to itself.</summary>
    Active,
}
